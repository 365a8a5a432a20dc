#include "reports/html_changes.h"

#include "reports/diff_report.h"
#include "reports/escape.h"

#include <fmt/format.h>

namespace hm {

namespace {
std::string esc(std::string_view s) { return xml_escape(s); }

std::string verdict(const std::optional<Verdict>& v) {
    if (!v)
        return "<span class=\"absent\">not in that run</span>";
    return fmt::format("<span class=\"{0}\">{0}</span>", to_string(*v));
}

std::string verdicts(const CellDiff& d) {
    std::string out = verdict(d.base_verdict);
    if (!(d.base_verdict && d.new_verdict && *d.base_verdict == *d.new_verdict))
        out += " → " + verdict(d.new_verdict);
    if (d.verdict_change == VerdictChange::Same && d.base_verdict && d.new_verdict)
        return out;
    // Why it is what it is now, and why it was what it was when that was not a pass.
    if (d.new_verdict && !d.new_reason.empty())
        out += "<br><small>now: " + esc(d.new_reason) + "</small>";
    if (d.base_verdict && *d.base_verdict != Verdict::Pass && !d.base_reason.empty())
        out += "<br><small>in the baseline: " + esc(d.base_reason) + "</small>";
    return out;
}

std::string row(const CellDiff& d) {
    std::string medians, shift;
    if (d.latency) {
        medians = short_ns(d.latency->base_p50) + " → " + short_ns(d.latency->new_p50);
        shift = describe_latency(*d.latency);
    }
    return fmt::format("<tr class=\"{}\"><th class=\"hook\">{}</th><td>{}</td><td>{}</td>"
                       "<td>{}</td><td>{}</td><td>{}</td><td class=\"change\">{}</td></tr>\n",
                       to_string(d.change), esc(d.hook), esc(d.device),
                       esc(d.new_kernel.empty() ? d.base_kernel : d.new_kernel), verdicts(d),
                       esc(medians), esc(shift), esc(describe_change(d)));
}
} // namespace

std::string html_changes_section(const BaselineComparison& comparison) {
    const Diff& diff = comparison.diff;
    std::string rows;
    std::size_t listed = 0;
    for (const CellDiff& d : diff.cells)
        if (d.change != Change::Unchanged) {
            rows += row(d);
            ++listed;
        }
    std::string out = fmt::format(
        "<section class=\"baseline\" id=\"baseline\" data-changes=\"{}\" "
        "data-regressions=\"{}\">\n<h2>Changes since baseline</h2>\n"
        "<p class=\"note\">Baseline <code>{}</code>, compared with <code>{}</code> as "
        "<code>hookmatrix diff</code> does: cells matched by hook, device and kernel; {}.</p>\n"
        "<p class=\"totals\"><strong>{}</strong></p>\n{}",
        listed, diff.summary.regressions, esc(comparison.sides.base_source),
        esc(comparison.sides.new_source), esc(describe_rule(diff)),
        esc(summary_line(diff.summary)),
        run_shift_note(diff).empty() ? std::string()
                                     : "<p class=\"note\">" + esc(run_shift_note(diff)) + "</p>\n");
    if (rows.empty())
        return out + "<p class=\"unchanged\">No cell changed since the baseline.</p>\n</section>\n";
    return out +
           "<table class=\"changes\">\n<thead><tr><th>hook</th><th>device</th><th>kernel</th>"
           "<th>verdict</th><th>p50</th><th>latency shift</th><th>change</th></tr></thead>\n"
           "<tbody>\n" +
           rows + "</tbody>\n</table>\n</section>\n";
}

} // namespace hm
