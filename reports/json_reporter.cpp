#include "reports/json_reporter.h"

#include "core/atomic_file.h"
#include "matrix/results/results_json.h"

namespace hm {

namespace {
class JsonReporter final : public Reporter {
public:
    explicit JsonReporter(std::string path) : path_(std::move(path)) {}
    Status end(const RunResult& result) override {
        return write_file_atomically(path_, to_json(result).dump(2) + "\n");
    }

private:
    std::string path_;
};
} // namespace

std::unique_ptr<Reporter> make_json_reporter(std::string path) {
    return std::make_unique<JsonReporter>(std::move(path));
}

} // namespace hm
