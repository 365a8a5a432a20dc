#include "reports/markdown_reporter.h"

#include "matrix/compare/baseline.h"
#include "matrix/results/expectations.h"
#include "reports/escape.h"
#include "reports/file_reporter.h"
#include "reports/markdown_changes.h"
#include "reports/markdown_footnotes.h"
#include "reports/report_grid.h"
#include "reports/since_report.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace hm {

namespace {
std::string_view symbol(Verdict v) {
    switch (v) {
    case Verdict::Pass: return "✅";
    case Verdict::Fail: return "❌";
    case Verdict::Unsupported: return "➖ unsupported";
    case Verdict::Error: return "⚠️ error";
    case Verdict::Attached: return "🔗 attached";
    }
    return "?";
}

using Footnotes = MarkdownFootnotes;

// A known outcome (--expect) and a cell that passes where one was expected have marks of their
// own: neither is a failure to look into, and the second asks for the expectation to go.
constexpr std::string_view kExpectedMark = "🔕", kFixedMark = "🧹";

std::string cell_text(const CellResult& c, const AxisKernel& kernel, Footnotes& notes) {
    using enum CellResult::Expected::Outcome;
    const std::string where = c.hook + " on " + c.device + " (" + kernel.label() + ")";
    const auto expected = c.expected_outcome();
    if (expected == Met)
        return fmt::format("{} {}", kExpectedMark, expectation_label(c)) +
               notes.add(where, "expected " + std::string(to_string(c.verdict)) + ": " +
                                    c.expected->reason + ". It said: " + c.reason);
    std::string text(symbol(c.verdict));
    if (c.verdict == Verdict::Pass) {
        if (c.latency.samples)
            text.append(" ").append(short_ns(c.latency.p50)).append(kernel.latency_mark());
        if (expected == Fixed)
            text += fmt::format(" {} fixed", kFixedMark) +
                    notes.add(where, "passes where " + std::string(to_string(c.expected->verdict)) +
                                         " was expected (" + c.expected->reason +
                                         "): fixed, remove the expectation");
        return text;
    }
    std::string why = c.reason;
    if (expected == Unmet)
        why +=
            fmt::format(" (expected {}: {})", to_string(c.expected->verdict), c.expected->reason);
    return text + notes.add(where, why);
}

std::string arrow_chain(const std::vector<std::string>& order) {
    std::string out;
    for (const auto& h : order)
        out += (out.empty() ? "" : " → ") + markdown_escape(h);
    return out;
}

std::vector<ChoirResult> choirs_in_kernel_order(std::vector<ChoirResult> choirs,
                                                const KernelAxis& axis) {
    std::ranges::stable_sort(choirs, {}, [&](const ChoirResult& c) { return axis.rank(c.kernel); });
    return choirs;
}

std::string choirs_section(const std::vector<ChoirResult>& choirs, Footnotes& notes) {
    if (choirs.empty())
        return {};
    std::string out = "\n## Choirs\n\nEvery hook that fits a device attached at once; the order "
                      "they fired in along one echo request and its reply.\n";
    for (const auto& c : choirs) {
        out +=
            fmt::format("\n### {} ({})\n\n", markdown_escape(c.device), markdown_escape(c.kernel));
        if (!c.reason.empty()) {
            out +=
                fmt::format("{} {}\n", c.unsupported ? "➖ unsupported:" : "⚠️ could not run:",
                            markdown_escape(c.reason));
            continue;
        }
        out += fmt::format("{}\n\nThe same order for {} of {} packets.\n", arrow_chain(c.order),
                           c.same_order, c.packets);
        for (const auto& v : c.voices)
            if (v.verdict != Verdict::Pass)
                out += fmt::format("\n- {} {}{}", markdown_escape(v.hook), symbol(v.verdict),
                                   notes.add(v.hook + " in the " + c.device + " choir (" +
                                                 c.kernel + ")",
                                             v.reason));
        for (const auto& d : c.deviations)
            out += fmt::format("\n- packet {}: {}", d.seq, arrow_chain(d.order));
        for (const auto& [hook, why] : c.left_out)
            out += fmt::format("\n- {} left out: {}", markdown_escape(hook), markdown_escape(why));
        if (out.back() != '\n')
            out += "\n";
    }
    return out;
}
} // namespace

std::string_view verdict_symbol(Verdict v) {
    return symbol(v);
}

std::string markdown_run_line(const RunResult& result, bool attached) {
    const RunInfo& run = result.run;
    const Summary s = summarize(result.cells);
    const KernelAxis axis(result);
    std::string kernels;
    for (const auto& k : axis.kernels())
        kernels += (kernels.empty() ? "" : ", ") + k.label();
    if (axis.kernels().size() < 2)
        kernels = "kernel " + run.kernel_release;
    else
        kernels = "kernels " + kernels;
    return fmt::format(
        "hookmatrix {} on {}, {}, started {:%Y-%m-%d %H:%M:%S} UTC, {:.1f} s: "
        "{} pass, {} fail, {} unsupported, {} error{}{}{}.\n\n",
        markdown_escape(run.tool_version), markdown_escape(run.host),
        markdown_escape(kernels),
        fmt::gmtime(std::chrono::system_clock::to_time_t(run.started)), run.duration_s, s.pass,
        s.fail, s.unsupported, s.error,
        attached ? fmt::format(", {} attached", s.attached) : std::string(),
        s.expected ? fmt::format(", {} expected", s.expected) : std::string(),
        s.fixed ? fmt::format(", {} fixed", s.fixed) : std::string());
}

std::string markdown_report(const RunResult& result, const BaselineComparison* baseline) {
    if (baseline)
        return markdown_changes(result, *baseline);
    const ReportGrid grid(result);
    std::string out = "# hookmatrix compatibility\n\n" + markdown_run_line(result, false);
    out += "Legend: ✅ pass (median latency, send to hook) · ❌ fail · ⚠️ error (set-up failed) "
           "· "
           "➖ unsupported by this kernel · 🔗 attached (the kernel took it, no packet can "
           "reach it) · ";
    if (std::ranges::any_of(result.cells,
                            [](const CellResult& c) { return c.expected.has_value(); }))
        out += fmt::format("{} expected: a known outcome (--expect), which fails nothing · {} "
                           "fixed: passes where another verdict was expected, remove the "
                           "expectation · ",
                           kExpectedMark, kFixedMark);
    if (grid.axis().any_emulated())
        out += "(TCG): measured in a guest whose CPU qemu emulates (TCG), several times slower "
               "than hardware; compare it only with other TCG figures · ";
    out += "blank: not in this run. Footnotes give the reasons, each once with where it "
           "applies.\n\n";
    Footnotes notes;
    if (grid.hooks().empty()) {
        out += "No cells ran.\n";
    } else {
        const bool many_kernels = grid.kernels().size() > 1;
        out += "| hook |";
        std::string rule = "| --- |";
        for (const auto& col : grid.columns()) {
            out.append(" ").append(markdown_escape(col.device));
            if (many_kernels)
                out += "<br>" + markdown_escape(grid.axis().of(col.kernel).label());
            out += " |";
            rule += " --- |";
        }
        out += "\n" + rule + "\n";
        for (const auto& hook : grid.hooks()) {
            out += "| " + markdown_escape(hook) + " |";
            for (const auto& col : grid.columns()) {
                const CellResult* c = grid.at(hook, col);
                out.append(" ")
                    .append(c ? cell_text(*c, grid.axis().of(col.kernel), notes) : std::string())
                    .append(" |");
            }
            out += "\n";
        }
    }
    out += since_markdown(result);
    out += choirs_section(choirs_in_kernel_order(result.choirs, grid.axis()), notes);
    if (!notes.text().empty())
        out += "\n" + notes.text();
    return out;
}

std::unique_ptr<Reporter> make_markdown_reporter(std::string path) {
    return make_file_reporter(std::move(path), [](const RunResult& r, const BaselineComparison* b) {
        return markdown_report(r, b);
    });
}

} // namespace hm
