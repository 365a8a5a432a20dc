#include "reports/console_reporter.h"

#include "matrix/results/expectations.h"
#include "matrix/results/kernel_axis.h"
#include "reports/diff_report.h"
#include "reports/escape.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <set>

namespace hm {

std::string format_ns(std::uint64_t ns) {
    if (ns < 1'000)
        return fmt::format("{} ns", ns);
    // Thresholds sit where rounding to two decimals would print "1000.00" of the smaller unit.
    if (ns < 999'995)
        return fmt::format("{:.2f} us", static_cast<double>(ns) / 1e3);
    if (ns < 999'995'000)
        return fmt::format("{:.2f} ms", static_cast<double>(ns) / 1e6);
    return fmt::format("{:.2f} s", static_cast<double>(ns) / 1e9);
}

namespace {
std::string verdict_cell(const CellResult& c) {
    using enum CellResult::Expected::Outcome;
    if (c.expected_outcome() == Met)
        return expectation_label(c);
    std::string out(to_string(c.verdict));
    if (c.verdict == Verdict::Pass && c.latency.samples)
        out = fmt::format("pass {}", format_ns(c.latency.p50));
    if (c.expected_outcome() == Fixed)
        out += " fixed";
    return out;
}

// The verdict column of the progress line: "expected fail" for a known outcome.
std::string verdict_word(const CellResult& c) {
    return c.expected_met() ? expectation_label(c) : std::string(to_string(c.verdict));
}

// The reason, and after it what --expect said: the known outcome's why, or that it is stale.
std::string reason_with_expectation(const CellResult& c) {
    const auto o = c.expected_outcome();
    if (!o)
        return c.reason;
    const CellResult::Expected& e = *c.expected;
    switch (*o) {
    case CellResult::Expected::Outcome::Met:
    case CellResult::Expected::Outcome::Unmet:
        // The verdict column tells the two apart: "expected fail" there, or the verdict itself.
        return fmt::format("{} (expected {}: {})", c.reason, to_string(e.verdict), e.reason);
    case CellResult::Expected::Outcome::Fixed:
        return c.reason + " (" + expectation_label(c) + ": " + e.reason + ")";
    }
    return c.reason;
}

class ConsoleReporter final : public Reporter {
public:
    ConsoleReporter(std::ostream& out, std::string results_path)
        : out_(out), results_path_(std::move(results_path)) {}

    void note(const std::string& line) override { out_ << line << std::endl; }
    void baseline(const BaselineComparison& comparison) override { baseline_ = comparison; }

    void begin(const RunInfo& run, std::size_t cells) override {
        total_ = cells;
        out_ << fmt::format("hookmatrix {}: {} cells on kernel {}, {} packets per cell\n",
                            run.tool_version, cells, run.kernel_release, run.packets_per_cell);
        out_.flush();
    }

    void cell(const CellResult& c) override {
        ++done_;
        std::string latency;
        if (c.latency.samples)
            latency = fmt::format("p50 {:>9}  p99 {:>9}", format_ns(c.latency.p50),
                                  format_ns(c.latency.p99));
        out_ << fmt::format("[{:>{}}/{}] {:<20} {:<8} {:<11} {:<30} {}\n", done_,
                            std::to_string(total_).size(), total_, c.hook, c.device,
                            verdict_word(c), latency, reason_with_expectation(c));
        out_.flush();
    }

    void choir(const ChoirResult& c) override {
        if (!c.reason.empty()) {
            out_ << fmt::format("choir on {}: {}: {}\n", c.device,
                                c.unsupported ? "unsupported" : "could not run", c.reason);
            return;
        }
        std::string order;
        for (const auto& h : c.order)
            order += (order.empty() ? "" : " -> ") + h;
        if (!c.trace_order.empty()) {
            std::string lines;
            for (const auto& t : c.trace_order)
                lines += (lines.empty() ? "" : " -> ") + t;
            order += (order.empty() ? "" : "\n  ") + ("trace: " + lines);
        }
        out_ << fmt::format("choir on {}: {} hooks, order the same for {} of {} packets\n  {}\n",
                            c.device, c.voices.size(), c.same_order, c.packets, order);
        for (const auto& v : c.voices)
            if (v.verdict != Verdict::Pass)
                out_ << fmt::format("  {} {}: {}\n", v.hook, to_string(v.verdict), v.reason);
        for (const auto& d : c.deviations) {
            std::string o;
            for (const auto& h : d.order)
                o += (o.empty() ? "" : " -> ") + h;
            out_ << fmt::format("  packet {} differed: {}\n", d.seq, o);
        }
        out_.flush();
    }

    Status end(const RunResult& result) override {
        // Hooks as rows, devices as columns, in the order the run met them; one block per kernel,
        // in version order, when the run had several.
        const KernelAxis axis(result);
        for (const AxisKernel& kernel : axis.kernels())
            table(result, kernel, axis.kernels().size() > 1);
        Summary s = summarize(result.cells);
        const std::string attached =
            s.attached ? fmt::format(", {} attached", s.attached) : std::string();
        const std::string expected =
            (s.expected ? fmt::format(", {} expected", s.expected) : std::string()) +
            (s.fixed ? fmt::format(", {} fixed", s.fixed) : std::string());
        out_ << fmt::format("\n{} pass, {} fail, {} unsupported, {} error{}{} in {:.2f} s\n",
                            s.pass, s.fail, s.unsupported, s.error, attached, expected,
                            result.run.duration_s);
        for (const std::string& line : fixed_lines(result.cells))
            out_ << line << "\n";
        if (!results_path_.empty())
            out_ << "results: " << results_path_ << "\n";
        if (baseline_)
            out_ << diff_to_text(baseline_->diff, baseline_->sides);
        out_.flush();
        return {};
    }

private:
    void table(const RunResult& result, const AxisKernel& kernel, bool headed) {
        std::vector<std::string> hooks, devices;
        std::map<std::pair<std::string, std::string>, const CellResult*> at;
        for (const auto& c : result.cells) {
            if (c.kernel != kernel.key)
                continue;
            if (std::ranges::find(hooks, c.hook) == hooks.end())
                hooks.push_back(c.hook);
            if (std::ranges::find(devices, c.device) == devices.end())
                devices.push_back(c.device);
            at[{c.hook, c.device}] = &c;
        }
        if (hooks.empty())
            return;
        if (headed)
            out_ << "\nkernel " << terminal_text(kernel.label())
                 << (kernel.emulated() ? ": latencies under TCG, emulated, not comparable with "
                                         "the host's"
                                       : "");
        constexpr int kWidth = 18;
        out_ << fmt::format("\n{:<20}", "hook \\ device");
        for (const auto& d : devices)
            out_ << fmt::format(" {:<{}}", d, kWidth);
        out_ << "\n";
        for (const auto& h : hooks) {
            out_ << fmt::format("{:<20}", h);
            for (const auto& d : devices) {
                auto it = at.find({h, d});
                out_ << fmt::format(" {:<{}}", it == at.end() ? "-" : verdict_cell(*it->second),
                                    kWidth);
            }
            out_ << "\n";
        }
    }

    std::ostream& out_;
    std::string results_path_;
    std::optional<BaselineComparison> baseline_;
    std::size_t total_ = 0, done_ = 0;
};
} // namespace

std::unique_ptr<Reporter> make_console_reporter(std::ostream& out, std::string results_path) {
    return std::make_unique<ConsoleReporter>(out, std::move(results_path));
}

} // namespace hm
