#include "reports/markdown_changes.h"

#include "reports/diff_report.h"
#include "reports/escape.h"
#include "reports/markdown_footnotes.h"
#include "reports/markdown_reporter.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace hm {

namespace {
using Footnotes = MarkdownFootnotes;

// One side of a changed cell: its verdict, its median when latency was compared, and for a
// verdict other than pass a footnote with the reason.
std::string side(const CellDiff& d, const std::optional<Verdict>& v, const std::string& reason,
                 std::uint64_t LatencyChange::*p50, const char* when, Footnotes& notes) {
    if (!v)
        return "—";
    std::string text(verdict_symbol(*v));
    if (d.latency) {
        text += ' ';
        text += short_ns((*d.latency).*p50);
    }
    if (*v != Verdict::Pass && !reason.empty())
        text += notes.add(fmt::format("{} on {} ({}), {}", d.hook, d.device,
                                      d.new_kernel.empty() ? d.base_kernel : d.new_kernel, when),
                          reason);
    return text;
}

std::string change_text(const CellDiff& d) {
    std::string text = markdown_escape(describe_change(d));
    if (d.change == Change::Regression)
        text = "**" + text + "**";
    if (d.latency && d.latency->trend != LatencyTrend::Same)
        text += ": " + markdown_escape(describe_latency(*d.latency));
    return text;
}
} // namespace

std::string markdown_changes(const RunResult& result, const BaselineComparison& comparison) {
    const Diff& diff = comparison.diff;
    std::string out =
        "# hookmatrix: changes since the baseline\n\n" + markdown_run_line(result, true);
    out += fmt::format("Baseline {}, compared with {}: {}.\n\n",
                       markdown_escape(comparison.sides.base_source),
                       markdown_escape(comparison.sides.new_source),
                       markdown_escape(summary_line(diff.summary)));
    out += fmt::format(
        "Legend: ✅ pass (median latency, send to hook) · ❌ fail · ⚠️ error (set-up failed) · "
        "➖ unsupported by the kernel · 🔗 attached (the kernel took it, no packet can reach it) · "
        "— not in that run. Only the cells that changed are listed: a verdict change, or a "
        "latency shift that is significant (Mann-Whitney U, p \\< {:g}) and larger than {}. "
        "Footnotes give the reasons.\n\n",
        diff.options.alpha, markdown_escape(diff.options.threshold.text()));

    Footnotes notes;
    std::string rows;
    for (const CellDiff& d : diff.cells) {
        if (d.change == Change::Unchanged)
            continue;
        rows += fmt::format(
            "| {} | {} | {} | {} | {} | {} |\n", markdown_escape(d.hook),
            markdown_escape(d.device),
            markdown_escape(d.new_kernel.empty() ? d.base_kernel : d.new_kernel),
            side(d, d.base_verdict, d.base_reason, &LatencyChange::base_p50, "in the baseline",
                 notes),
            side(d, d.new_verdict, d.new_reason, &LatencyChange::new_p50, "now", notes),
            change_text(d));
    }
    if (rows.empty()) {
        out += fmt::format("No cell changed since the baseline ({} cells compared).\n",
                           diff.summary.unchanged);
        return out;
    }
    out += "| hook | device | kernel | baseline | now | change |\n"
           "| --- | --- | --- | --- | --- | --- |\n" +
           rows;
    if (!notes.text().empty())
        out += "\n" + notes.text();
    return out;
}

} // namespace hm
