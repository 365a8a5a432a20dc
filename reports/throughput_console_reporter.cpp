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

// "2.48x by CPU time (xdpdrv faster, windows 2.31 .. 2.60): 224 ns per packet in xdpdrv, 589 in
// xdpgeneric, native saves 365 ns; by rate 2.11x (windows 1.43 .. 2.74)"
std::string hookmatrix_text(const ThroughputRatio& r) {
    if (!r.hookmatrix)
        return "none, " + r.hookmatrix_note;
    auto range = [](const std::optional<double>& low, const std::optional<double>& high) {
        return low && high ? fmt::format("windows {:.2f} .. {:.2f}", *low, *high) : std::string();
    };
    const bool cpu = r.by_cpu.has_value();
    const std::string how = cpu ? " by CPU time" : " by rate";
    const std::string spread =
        cpu ? range(r.by_cpu_low, r.by_cpu_high) : range(r.hookmatrix_low, r.hookmatrix_high);
    std::string out =
        r.measurable()
            ? fmt::format("{:.2f}x{} ({}, {})", *r.headline(), how, r.difference(), spread)
            : fmt::format("no measurable difference ({:.2f}x{}, {}{})", *r.headline(), how, spread,
                          r.within_margin() ? fmt::format(", inside the +-{:.0f}% margin runs "
                                                          "here differ by",
                                                          kEquivalenceMargin * 100)
                                            : std::string());
    if (auto saved = r.ns_saved())
        out += fmt::format(": {:.0f} ns per packet in xdpdrv, {:.0f} in xdpgeneric, native saves "
                           "{:.0f} ns",
                           *r.xdpdrv_ns, *r.xdpgeneric_ns, *saved);
    if (cpu)
        out += fmt::format("; by rate {:.2f}x ({})", *r.hookmatrix,
                           range(r.hookmatrix_low, r.hookmatrix_high));
    if (r.generator_bound)
        out += "; generator-bound: the source, not the hook, set a rate";
    return out;
}

class ThroughputConsoleReporter final : public Reporter {
public:
    ThroughputConsoleReporter(std::ostream& out, std::string results_path)
        : out_(out), results_path_(std::move(results_path)) {}

    void begin(const RunInfo&, std::size_t cells) override { total_ = cells; }
    void note(const std::string& line) override { out_ << line << std::endl; }

    void throughput(const ThroughputResult& b) override {
        ++done_;
        std::string figures =
            b.verdict == Verdict::Pass
                ? fmt::format("{:>13}  {:>5.0f} ns/pkt own ({:.0f} by CPU busy)  {:.2f} CPUs busy",
                              mpps(b.pps_median()), b.own_ns_per_packet_median(),
                              b.ns_per_packet_median(), b.cpu_busy_median())
                : b.reason;
        if (b.verdict == Verdict::Pass && !b.ceiling.empty())
            figures += fmt::format("  source alone {} ({:.0f} ns/frame){}", mpps(b.ceiling_pps()),
                                   b.ceiling_ns_per_frame(),
                                   b.generator_bound() ? "  GENERATOR-BOUND" : "");
        if (b.emulated)
            figures += fmt::format("  EMULATED ({}, TCG guest)", b.kernel);
        out_ << fmt::format("[{:>{}}/{}] {:<20} {:<8} {:<3} {:<11} {}\n", done_,
                            std::to_string(total_).size(), total_, b.hook, b.device, b.source,
                            to_string(b.verdict), figures)
             << std::flush;
    }

    void throughput_ratio(const ThroughputRatio& r) override {
        out_ << fmt::format("xdpdrv / xdpgeneric on {} ({}{}, {} source): {}; xdp-bench: {}\n",
                            r.device, r.kernel, r.emulated ? ", emulated: TCG guest" : "",
                            r.source, hookmatrix_text(r),
                            ratio_text(r.xdp_bench, r.xdp_bench_note));
        if (r.source == "skb" && r.device == "veth" && r.hookmatrix)
            out_ << "  " << kSkbOnVethNote << "\n";
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
