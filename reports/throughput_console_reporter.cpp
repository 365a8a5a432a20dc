#include "reports/console_reporter.h"

#include <fmt/format.h>

#include <ostream>

namespace hm {

namespace {
std::string mpps(double pps) {
    return fmt::format("{:.3f} Mpps", pps / 1e6);
}

std::string ratio_text(const std::optional<double>& ratio, const std::string& note) {
    return ratio ? fmt::format("{:.2f}x", *ratio) : "none, " + note;
}

class ThroughputConsoleReporter final : public Reporter {
public:
    ThroughputConsoleReporter(std::ostream& out, std::string results_path)
        : out_(out), results_path_(std::move(results_path)) {}

    void begin(const RunInfo&, std::size_t cells) override { total_ = cells; }
    void note(const std::string& line) override { out_ << line << std::endl; }

    void throughput(const ThroughputResult& b) override {
        ++done_;
        const std::string figures =
            b.verdict == Verdict::Pass
                ? fmt::format("{:>13}  {:>7.0f} ns/pkt  {:.2f} CPUs busy", mpps(b.pps_median()),
                              b.ns_per_packet_median(), b.cpu_busy_median())
                : b.reason;
        out_ << fmt::format("[{:>{}}/{}] {:<20} {:<8} {:<11} {}\n", done_,
                            std::to_string(total_).size(), total_, b.hook, b.device,
                            to_string(b.verdict), figures)
             << std::flush;
    }

    void throughput_ratio(const ThroughputRatio& r) override {
        out_ << fmt::format("xdpdrv / xdpgeneric on {} ({}): {}; xdp-bench: {}\n", r.device,
                            r.kernel, ratio_text(r.hookmatrix, r.hookmatrix_note),
                            ratio_text(r.xdp_bench, r.xdp_bench_note));
    }

    Status end(const RunResult&) override {
        out_ << "results: " << results_path_ << "\n" << std::flush;
        return {};
    }

private:
    std::ostream& out_;
    std::string results_path_;
    std::size_t total_ = 0, done_ = 0;
};
} // namespace

std::unique_ptr<Reporter> make_throughput_console_reporter(std::ostream& out,
                                                           std::string results_path) {
    return std::make_unique<ThroughputConsoleReporter>(out, std::move(results_path));
}

} // namespace hm
