#include "reports/file_reporter.h"

#include "core/atomic_file.h"

#include <optional>

namespace hm {

namespace {
class FileReporter final : public Reporter {
public:
    FileReporter(std::string path, Render render)
        : path_(std::move(path)), render_(std::move(render)) {}
    void baseline(const BaselineComparison& comparison) override { baseline_ = comparison; }
    Status end(const RunResult& result) override {
        return write_file_atomically(path_, render_(result, baseline_ ? &*baseline_ : nullptr));
    }

private:
    std::string path_;
    Render render_;
    std::optional<BaselineComparison> baseline_;
};
} // namespace

std::unique_ptr<Reporter> make_file_reporter(std::string path, Render render) {
    return std::make_unique<FileReporter>(std::move(path), std::move(render));
}

} // namespace hm
