#include "reports/history_reporter.h"

#include "matrix/results/history_files.h"

namespace hm {

namespace {
class HistoryReporter final : public Reporter {
public:
    HistoryReporter(std::string dir, std::size_t keep) : dir_(std::move(dir)), keep_(keep) {}
    Status end(const RunResult& result) override {
        auto filed = add_to_history(dir_, result, keep_);
        if (!filed)
            return fail("--history-add: " + filed.error().message());
        return {};
    }

private:
    std::string dir_;
    std::size_t keep_;
};
} // namespace

std::unique_ptr<Reporter> make_history_reporter(std::string dir, std::size_t keep) {
    return std::make_unique<HistoryReporter>(std::move(dir), keep);
}

} // namespace hm
