#include "reports/diff_report.h"

#include "matrix/results/expectations.h"
#include "reports/console_reporter.h"
#include "reports/escape.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace hm {

using json = nlohmann::ordered_json;

namespace {
std::string signed_ns(double ns) {
    const auto magnitude = static_cast<std::uint64_t>(std::llround(std::abs(ns)));
    // Appended rather than "+" + string: g++ 12 at -O3 warns falsely (-Wrestrict) on the latter.
    std::string out(ns < 0 ? "-" : "+");
    out += format_ns(magnitude);
    return out;
}

std::string p_value(double p) {
    if (p < 1e-12)
        return "p<1e-12";
    return fmt::format("p={:.2g}", p);
}

std::string verdicts(const CellDiff& d) {
    auto name = [](const std::optional<Verdict>& v) {
        return v ? std::string(to_string(*v)) : std::string("-");
    };
    if (d.base_verdict && d.new_verdict && *d.base_verdict == *d.new_verdict)
        return name(d.base_verdict);
    return name(d.base_verdict) + " -> " + name(d.new_verdict);
}

std::string medians(const CellDiff& d) {
    if (!d.latency)
        return "";
    return format_ns(d.latency->base_p50) + " -> " + format_ns(d.latency->new_p50);
}

// Why a cell is listed, in a few words: the verdict change, the latency change, or both.
std::string what_changed(const CellDiff& d) {
    std::string s(to_string(d.change));
    if (d.verdict_change != VerdictChange::Same && d.verdict_change != VerdictChange::Regression)
        s += fmt::format(" ({})", to_string(d.verdict_change));
    if (d.latency && d.latency->trend != LatencyTrend::Same) {
        const bool slower = d.latency->trend == LatencyTrend::Slower;
        if (d.history && d.history->nights > 1)
            s += fmt::format(" ({} than {} of {} nights)", slower ? "slower" : "faster",
                             slower ? d.history->slower_than : d.history->faster_than,
                             d.history->nights);
        else
            s += fmt::format(" ({})", to_string(d.latency->trend));
    }
    return s;
}

bool judged_by_history(const Diff& diff) {
    return diff.history.size() > 1;
}

// Markdown bold, built by appending for the same g++ 12 warning as in signed_ns.
std::string strong(const std::string& text) {
    std::string out("**");
    out += text;
    out += "**";
    return out;
}

// What --expect said of the new side's cell, after its reason; empty without a mark.
std::string expectation_note(const CellDiff& d) {
    if (!d.new_expected || !d.new_verdict)
        return {};
    const CellResult::Expected& e = *d.new_expected;
    switch (e.outcome_for(*d.new_verdict)) {
    case CellResult::Expected::Outcome::Met:
        return fmt::format("expected {}: {}", to_string(e.verdict), e.reason);
    case CellResult::Expected::Outcome::Fixed: return "fixed, remove the expectation: " + e.reason;
    case CellResult::Expected::Outcome::Unmet:
        return fmt::format("expected {}: {}", to_string(e.verdict), e.reason);
    }
    return {};
}

// The new side's reason, for a cell whose verdict changed, with what --expect said of it.
std::string new_reason_line(const CellDiff& d) {
    if (d.verdict_change == VerdictChange::Same)
        return {};
    const std::string note = expectation_note(d);
    if (note.empty() || d.new_reason.empty())
        return d.new_reason.empty() ? note : d.new_reason;
    return d.new_reason + "; " + note;
}

std::string kernel_column(const CellDiff& d) {
    return d.base_kernel.empty() ? d.new_kernel : d.base_kernel;
}

// Cells that pass on both sides where --expect expects another verdict: no change to list, but
// the expectation is stale. A cell whose verdict changed says it on its own "now:" line.
std::vector<std::string> stale_expectations(const Diff& diff) {
    std::vector<std::string> out;
    for (const CellDiff& d : diff.cells)
        if (d.verdict_change == VerdictChange::Same && d.new_expected && d.new_verdict &&
            d.new_expected->outcome_for(*d.new_verdict) == CellResult::Expected::Outcome::Fixed)
            out.push_back(fmt::format("fixed, remove the expectation: {} {} {} passes; expected "
                                      "{}: {}",
                                      d.hook, d.device, d.new_kernel,
                                      to_string(d.new_expected->verdict), d.new_expected->reason));
    return out;
}

std::string compared(const DiffSides& sides) {
    if (!sides.base_kernel.empty())
        return fmt::format("{} kernel {} -> {} kernel {}", sides.base_source, sides.base_kernel,
                           sides.new_source, sides.new_kernel);
    return sides.base_source + " -> " + sides.new_source;
}

std::string markdown_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '<' || c == '>')
            out += '\\';
        out += c == '\n' ? ' ' : c;
    }
    return out;
}
} // namespace

std::string summary_line(const DiffSummary& s) {
    std::string line = fmt::format("{} regressions, {} improvements, {} unchanged", s.regressions,
                                   s.improvements, s.unchanged);
    for (auto [n, word] : {std::pair{s.changed, "changed"}, std::pair{s.added, "added"},
                           std::pair{s.removed, "removed"}, std::pair{s.expected, "expected"}})
        if (n)
            line += fmt::format(", {} {}", n, word);
    return line;
}

std::string describe_change(const CellDiff& d) {
    return what_changed(d);
}

std::string describe_rule(const Diff& diff) {
    std::string out = fmt::format("a latency change counts when p < {:g} (Mann-Whitney U) and the "
                                  "shift exceeds {}{}",
                                  diff.options.alpha, diff.options.threshold.text(),
                                  diff.options.steady ? " in every quarter of the packets" : "");
    if (judged_by_history(diff))
        out += fmt::format(", against every one of {} nights ({} to {}; one odd night of five or "
                           "more aside) and beyond the spread of the cell's own nights",
                           diff.history.size(), diff.history.front(), diff.history.back());
    if (diff.run_shift) {
        const std::string shift = fmt::format("the run-wide shift of {:+.1f}% (median of {} cells)",
                                              (*diff.run_shift - 1) * 100, diff.run_shift_cells);
        out += diff.relative_to_run
                   ? "; each cell is judged against the 13 cells run around it, and absolutely "
                     "(" +
                         shift + ")"
                   : "; " + shift + " counts in each cell";
    }
    return out;
}

std::string run_shift_note(const Diff& diff) {
    if (!diff.run_shift || !diff.relative_to_run)
        return {};
    const double moved = *diff.run_shift - 1;
    const Threshold& t = diff.options.threshold;
    if (t.unit == Threshold::Unit::Percent && std::abs(moved) * 100 <= t.value)
        return {};
    return fmt::format("The whole run moved {:+.1f}% (the median over {} cells): the machine, or "
                       "the kernel as a whole, not one hook. It is not counted in any cell; "
                       "--normalize none counts it.",
                       moved * 100, diff.run_shift_cells);
}

std::vector<std::string> persisting_changes(const Diff& diff) {
    std::vector<std::string> out;
    if (!judged_by_history(diff))
        return out;
    for (const CellDiff& d : diff.cells)
        if (d.history && !d.history->since.empty())
            out.push_back(fmt::format("{} {} {}: {} since {} (a change that began on that night "
                                      "and held; it counted then)",
                                      d.hook, d.device, kernel_column(d),
                                      to_string(d.history->since_trend), d.history->since));
    return out;
}

std::string describe_latency(const LatencyChange& l) {
    return fmt::format("{:+.1f}% ({}), {}", l.shift_relative * 100, signed_ns(l.shift_ns),
                       p_value(l.p));
}

std::string diff_to_text(const Diff& diff, const DiffSides& sides) {
    std::string out = "compared " + compared(sides) + "\n";
    bool header = false;
    for (const CellDiff& d : diff.cells) {
        if (d.change == Change::Unchanged)
            continue;
        if (!header) {
            out += fmt::format("{:<20} {:<9} {:<24} {:<23} {:<48} {}\n", "hook", "device",
                               diff.by_kernel ? "kernel" : "", "verdict", "p50 / shift", "change");
            header = true;
        }
        std::string latency = medians(d);
        if (d.latency)
            latency += "  " + describe_latency(*d.latency);
        out += fmt::format("{:<20} {:<9} {:<24} {:<23} {:<48} {}\n", d.hook, d.device,
                           diff.by_kernel ? kernel_column(d) : "", verdicts(d), latency,
                           what_changed(d));
        if (const std::string now = new_reason_line(d); !now.empty())
            out += fmt::format("{:<20} now: {}\n", "", now);
    }
    if (!header)
        out += "no cell changed\n";
    for (const std::string& line : persisting_changes(diff))
        out += line + "\n";
    for (const std::string& line : stale_expectations(diff))
        out += line + "\n";
    out += summary_line(diff.summary) + " (" + describe_rule(diff) + ")\n";
    if (auto note = run_shift_note(diff); !note.empty())
        out += note + "\n";
    return terminal_text(out);
}

json diff_to_json(const Diff& diff, const DiffSides& sides) {
    json cells = json::array();
    for (const CellDiff& d : diff.cells) {
        json c{
            {"hook", d.hook}, {"device", d.device}, {"change", std::string(to_string(d.change))}};
        if (d.base_verdict) {
            c["base_kernel"] = d.base_kernel;
            c["base_verdict"] = std::string(to_string(*d.base_verdict));
            c["base_reason"] = d.base_reason;
        }
        if (d.new_verdict) {
            c["new_kernel"] = d.new_kernel;
            c["new_verdict"] = std::string(to_string(*d.new_verdict));
            c["new_reason"] = d.new_reason;
            if (const auto& e = d.new_expected)
                c["new_expected"] = {
                    {"verdict", std::string(to_string(e->verdict))},
                    {"reason", e->reason},
                    {"outcome", std::string(to_string(e->outcome_for(*d.new_verdict)))}};
        }
        if (d.base_verdict && d.new_verdict)
            c["verdict_change"] = std::string(to_string(d.verdict_change));
        if (const auto& l = d.latency) {
            c["latency"] = {{"base_samples", l->base_samples},
                            {"new_samples", l->new_samples},
                            {"base_p50_ns", l->base_p50},
                            {"new_p50_ns", l->new_p50},
                            {"ratio", l->ratio},
                            {"shift_ns", l->shift_ns},
                            {"shift_relative", l->shift_relative},
                            {"steady_shift_relative", l->steady_shift_relative},
                            {"base_scale", l->base_scale},
                            {"absolute_trend", std::string(to_string(l->absolute_trend))},
                            {"u", l->u},
                            {"z", l->z},
                            {"p_value", l->p},
                            {"significant", l->significant},
                            {"beyond_threshold", l->beyond_threshold},
                            {"trend", std::string(to_string(l->trend))}};
        }
        if (const auto& h = d.history; h && judged_by_history(diff)) {
            c["history"] = {{"nights", h->nights},
                            {"slower_than", h->slower_than},
                            {"faster_than", h->faster_than},
                            {"shift_relative", h->shift},
                            {"spread", h->spread},
                            {"spread_neighbours", h->spread_neighbours}};
            if (h->spread_run)
                c["history"]["spread_run"] = *h->spread_run;
            if (!h->since.empty())
                c["history"]["since"] = {{"night", h->since},
                                         {"trend", std::string(to_string(h->since_trend))}};
        }
        cells.push_back(std::move(c));
    }
    json base{{"source", sides.base_source}}, now{{"source", sides.new_source}};
    if (!sides.base_kernel.empty()) {
        base["kernel"] = sides.base_kernel;
        now["kernel"] = sides.new_kernel;
    }
    const DiffSummary& s = diff.summary;
    json summary{{"regressions", s.regressions},
                 {"improvements", s.improvements},
                 {"changed", s.changed},
                 {"unchanged", s.unchanged},
                 {"added", s.added},
                 {"removed", s.removed}};
    // Only with a known outcome on the new side (--expect), so documents without one stay as
    // they were.
    if (s.expected)
        summary["expected"] = s.expected;
    return {
        {"schema", kDiffSchema},
        {"base", std::move(base)},
        {"new", std::move(now)},
        {"matched_by", diff.by_kernel ? json{"hook", "device", "kernel"} : json{"hook", "device"}},
        {"options",
         {{"threshold", diff.options.threshold.text()},
          {"alpha", diff.options.alpha},
          {"min_samples", diff.options.min_samples},
          {"test", "mann-whitney-u"},
          {"shift", "hodges-lehmann"},
          {"normalize", diff.options.relative_to_run ? "run" : "none"},
          {"steady", diff.options.steady}}},
        {"history", judged_by_history(diff) ? json{{"nights", diff.history}} : json(nullptr)},
        {"run_shift", diff.run_shift ? json{{"ratio", *diff.run_shift},
                                            {"cells", diff.run_shift_cells},
                                            {"discounted", diff.relative_to_run}}
                                     : json(nullptr)},
        {"summary", std::move(summary)},
        {"regression", diff.has_regression()},
        {"cells", std::move(cells)}};
}

std::string diff_to_markdown(const Diff& diff, const DiffSides& sides) {
    std::string out = "**hookmatrix diff**: " + markdown_escape(compared(sides)) + "\n\n";
    bool header = false;
    for (const CellDiff& d : diff.cells) {
        if (d.change == Change::Unchanged)
            continue;
        if (!header) {
            out += diff.by_kernel
                       ? "| hook | device | kernel | verdict | p50 | latency change | change |\n"
                         "| --- | --- | --- | --- | --- | --- | --- |\n"
                       : "| hook | device | verdict | p50 | latency change | change |\n"
                         "| --- | --- | --- | --- | --- | --- |\n";
            header = true;
        }
        std::string row =
            "| " + markdown_escape(d.hook) + " | " + markdown_escape(d.device) + " | ";
        if (diff.by_kernel)
            row += markdown_escape(kernel_column(d)) + " | ";
        const std::string now = new_reason_line(d);
        row += markdown_escape(verdicts(d)) +
               (!now.empty() ? "<br>" + markdown_escape(now) : std::string()) + " | " +
               markdown_escape(medians(d)) + " | " +
               (d.latency ? markdown_escape(describe_latency(*d.latency)) : std::string()) + " | " +
               (d.change == Change::Regression ? strong(what_changed(d)) : what_changed(d)) +
               " |\n";
        out += row;
    }
    if (!header)
        out += "No cell changed.\n";
    for (const std::string& line : persisting_changes(diff))
        out += "\n" + markdown_escape(line) + "\n";
    for (const std::string& line : stale_expectations(diff))
        out += "\n" + markdown_escape(line) + "\n";
    std::string why = describe_rule(diff);
    why[0] = 'A';
    out.append("\n").append(summary_line(diff.summary)).append(". ");
    out.append(markdown_escape(why)).append(".\n");
    if (auto note = run_shift_note(diff); !note.empty())
        out.append("\n").append(markdown_escape(note)).append("\n");
    return out;
}

} // namespace hm
