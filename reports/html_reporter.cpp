#include "reports/html_reporter.h"

#include "reports/file_reporter.h"
#include "matrix/compare/baseline.h"
#include "matrix/results/expectations.h"
#include "reports/escape.h"
#include "reports/html_throughput.h"
#include "reports/html_changes.h"
#include "reports/html_since.h"
#include "reports/report_grid.h"

#include "chartjs.h"       // generated: kChartJs, Debian's libjs-chart.js
#include "html_template.h" // generated: kHtmlTemplate, from reports/html_template.html

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <optional>

namespace hm {

namespace {
std::string esc(std::string_view s) { return xml_escape(s); }

// The report's parts for cells --expect marked: a known outcome in grey italics, its verdict
// still named; a cell that passes where one was expected says the entry can go.
constexpr const char* kExpectedStyle =
    "  td.expected { background: #f6f8fa; }\n"
    "  td.expected .verdict { color: var(--unsupported); font-style: italic; }\n"
    "  td.fixed .verdict { text-decoration: underline dotted; }\n"
    "  .totals .expected, .legend .expected { background: #f6f8fa; font-style: italic; }\n"
    "  .totals .fixed, .legend .fixed { background: #dafbe1; text-decoration: underline dotted; }"
    "\n";
constexpr const char* kExpectedLegend =
    "<span class=\"expected\">expected: a known outcome (--expect), which fails nothing</span>"
    "<span class=\"fixed\">fixed: passes where another verdict was expected; remove the "
    "expectation</span>";
std::string attr(std::string_view s) { return xml_escape(s, true); }

const char* colour(Verdict v) {
    switch (v) {
    case Verdict::Pass: return "#2da44e";
    case Verdict::Fail: return "#cf222e";
    case Verdict::Error: return "#bc4c00";
    case Verdict::Unsupported: return "#8c959f";
    case Verdict::Attached: return "#0969da";
    }
    return "#8c959f";
}

// Fills the @@NAME@@ slots of the template in one pass, so text put into a slot is never
// searched for slots itself.
std::string fill(std::string_view tpl, const std::map<std::string, std::string>& slots) {
    std::string out;
    out.reserve(tpl.size() + 64 * 1024);
    std::size_t pos = 0;
    while (true) {
        const std::size_t start = tpl.find("@@", pos);
        const std::size_t end = start == std::string_view::npos ? start : tpl.find("@@", start + 2);
        if (end == std::string_view::npos) {
            out.append(tpl.substr(pos));
            return out;
        }
        auto it = slots.find(std::string(tpl.substr(start + 2, end - start - 2)));
        if (it == slots.end()) { // not a slot: keep the text, look again after the first @@
            out.append(tpl.substr(pos, start + 2 - pos));
            pos = start + 2;
            continue;
        }
        out.append(tpl.substr(pos, start - pos));
        out += it->second;
        pos = end + 2;
    }
}

// Chart.js is inlined in a <script>; a "</script" inside it (there is none in 3.9.1, but a
// newer file could have one in a string) would end the element early. "<\/" means the same in
// JavaScript strings and regular expressions.
std::string inline_script(std::string_view js) {
    std::string out;
    out.reserve(js.size());
    for (std::size_t i = 0; i < js.size(); ++i) {
        out += js[i];
        if (js[i] == '<' && i + 1 < js.size() && js[i + 1] == '/')
            out += '\\';
    }
    return out;
}

std::string run_section(const RunResult& r, const ReportGrid& grid) {
    std::string kernels;
    for (const auto& k : grid.axis().kernels())
        kernels += (kernels.empty() ? "" : ", ") + k.label();
    if (kernels.empty())
        kernels = r.run.kernel_release;
    const std::pair<const char*, std::string> rows[] = {
        {"kernel", kernels},
        {"host", r.run.host},
        {"hookmatrix", r.run.tool_version},
        {"libbpf", r.run.libbpf_version},
        {"started",
         fmt::format("{:%Y-%m-%d %H:%M:%S} UTC",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(r.run.started)))},
        {"duration", fmt::format("{:.1f} s", r.run.duration_s)},
        {"packets per cell", std::to_string(r.run.packets_per_cell)},
    };
    std::string out = "<dl class=\"run\">\n";
    for (const auto& [name, value] : rows)
        out += fmt::format("  <dt>{}</dt><dd>{}</dd>\n", name, esc(value));
    out += fmt::format("  <dt>command</dt><dd><code>{}</code></dd>\n</dl>\n",
                       esc(r.run.command_line));
    return out;
}

// What --expect said of the cell, for its hover text and its folded part; empty without a mark.
std::string expectation_text(const CellResult& c) {
    const auto o = c.expected_outcome();
    if (!o)
        return {};
    const std::string said =
        fmt::format("expected {}: {}", to_string(c.expected->verdict), c.expected->reason);
    if (*o == CellResult::Expected::Outcome::Fixed)
        return "fixed, remove the expectation (" + said + ")";
    return said;
}

std::string table_cell(const CellResult& c, const AxisKernel& kernel) {
    using enum CellResult::Expected::Outcome;
    const std::string v(to_string(c.verdict));
    const auto expected = c.expected_outcome();
    std::string label = expected == Met ? expectation_label(c) : v;
    if (c.latency.samples)
        label.append(" ").append(short_ns(c.latency.p50)).append(kernel.latency_mark());
    if (expected == Fixed)
        label += " · fixed";
    // A known outcome's hover says why it is known; the cell's own reason is folded below.
    const std::string said = expectation_text(c);
    const std::string title =
        expected == Met ? said : said.empty() ? c.reason : c.reason + " (" + said + ")";
    std::string classes = expected == Met ? v + " expected" : expected == Fixed ? v + " fixed" : v;
    if (kernel.emulated())
        classes += " emulated";
    std::string folded = fmt::format("<p>{}</p>", esc(c.reason));
    if (!said.empty())
        folded += fmt::format("<p class=\"expectation\">{}</p>", esc(said));
    if (c.latency.samples)
        folded += fmt::format("<p>p50 {} · p90 {} · p99 {} · {} samples{}</p>",
                              esc(short_ns(c.latency.p50)), esc(short_ns(c.latency.p90)),
                              esc(short_ns(c.latency.p99)), c.latency.samples,
                              kernel.emulated() ? ", measured under TCG (emulated CPU)" : "");
    if (!c.attachment.empty())
        folded += fmt::format("<p>{}</p>", esc(c.attachment));
    if (!c.detail.empty())
        folded += fmt::format("<pre>{}</pre>", esc(c.detail));
    return fmt::format("<td class=\"{}\" title=\"{}\"><span class=\"verdict\">{}</span>"
                       "<details><summary>why</summary>{}</details></td>",
                       classes, attr(title), esc(label), folded);
}

std::string table_section(const ReportGrid& grid) {
    if (grid.hooks().empty())
        return "<p class=\"note\">No cells ran.</p>\n";
    std::string out = "<table class=\"compat\">\n<thead><tr><th>hook</th>";
    const bool many_kernels = grid.kernels().size() > 1;
    for (const auto& col : grid.columns()) {
        out += "<th>" + esc(col.device);
        if (many_kernels)
            out += "<br><small>" + esc(grid.axis().of(col.kernel).label()) + "</small>";
        out += "</th>";
    }
    out += "</tr></thead>\n<tbody>\n";
    for (const auto& hook : grid.hooks()) {
        out += "<tr><th class=\"hook\">" + esc(hook) + "</th>";
        for (const auto& col : grid.columns()) {
            const CellResult* c = grid.at(hook, col);
            out += c ? table_cell(*c, grid.axis().of(col.kernel))
                     : std::string("<td class=\"absent\" title=\"not in this run\"></td>");
        }
        out += "</tr>\n";
    }
    return out + "</tbody>\n</table>\n";
}

std::string choirs_section(std::vector<ChoirResult> choirs, const KernelAxis& axis) {
    if (choirs.empty())
        return {};
    std::ranges::stable_sort(choirs, {}, [&](const ChoirResult& c) { return axis.rank(c.kernel); });
    std::string out = "<h2>Choirs</h2>\n<p class=\"note\">Every hook that fits a device attached "
                      "at once: the order they fired in along one echo request and its reply, "
                      "with each hook's median latency from the request's send time.</p>\n";
    for (const auto& c : choirs) {
        out += fmt::format("<section class=\"choir\">\n<h3>{} <small>{}</small></h3>\n",
                           esc(c.device), esc(axis.of(c.kernel).label()));
        if (!c.reason.empty()) {
            out += fmt::format("<p class=\"{}\">{}: {}</p>\n</section>\n",
                               c.unsupported ? "unsupported" : "error",
                               c.unsupported ? "unsupported" : "could not run", esc(c.reason));
            continue;
        }
        out += "<ol class=\"path\">";
        bool first = true;
        for (const auto& hook : c.order) {
            if (!first)
                out += "<li class=\"arrow\" aria-hidden=\"true\">→</li>";
            first = false;
            auto voice = std::ranges::find(c.voices, hook, &ChoirVoice::hook);
            if (voice == c.voices.end()) {
                out += "<li>" + esc(hook) + "</li>";
                continue;
            }
            out += fmt::format("<li class=\"{}\" title=\"{}\">{}<small>{}</small></li>",
                               to_string(voice->verdict), attr(voice->reason), esc(hook),
                               voice->latency.samples ? esc(short_ns(voice->latency.p50))
                                                      : esc(to_string(voice->verdict)));
        }
        out += fmt::format("</ol>\n<p>The same order for {} of {} packets.</p>\n", c.same_order,
                           c.packets);
        std::string notes;
        for (const auto& v : c.voices)
            if (v.verdict != Verdict::Pass)
                notes += fmt::format("<li>{} {}: {}</li>", esc(v.hook), to_string(v.verdict),
                                     esc(v.reason));
        for (const auto& d : c.deviations) {
            std::string order;
            for (const auto& h : d.order)
                order += (order.empty() ? "" : " → ") + h;
            notes += fmt::format("<li>packet {} differed: {}</li>", d.seq, esc(order));
        }
        for (const auto& [hook, why] : c.left_out)
            notes += fmt::format("<li>{} left out: {}</li>", esc(hook), esc(why));
        if (!notes.empty())
            out += "<ul>" + notes + "</ul>\n";
        out += "</section>\n";
    }
    return out;
}

// What the charts draw: per device, the cells with samples (hook, and kernel when several). A
// TCG guest's latencies are several times a hardware one's: they get charts of their own, never
// an axis shared with the host's.
nlohmann::json chart_data(const ReportGrid& grid) {
    std::vector<std::string> devices;
    for (const auto& col : grid.columns())
        if (std::ranges::find(devices, col.device) == devices.end())
            devices.push_back(col.device);
    const bool many_kernels = grid.kernels().size() > 1;
    nlohmann::json charts = nlohmann::json::array();
    for (const bool emulated : {false, true})
        for (const auto& device : devices) {
            nlohmann::json labels = nlohmann::json::array(), p50 = labels, p90 = labels,
                           p99 = labels, colours = labels;
            for (const auto& hook : grid.hooks())
                for (const auto& col : grid.columns()) {
                    const AxisKernel& kernel = grid.axis().of(col.kernel);
                    const CellResult* c = col.device == device && kernel.emulated() == emulated
                                              ? grid.at(hook, col)
                                              : nullptr;
                    if (!c || !c->latency.samples)
                        continue;
                    labels.push_back(many_kernels ? hook + " @ " + kernel.label() : hook);
                    // A log axis cannot show 0 ns; 1 ns is below anything a hook can measure.
                    p50.push_back(std::max<std::uint64_t>(c->latency.p50, 1));
                    p90.push_back(std::max<std::uint64_t>(c->latency.p90, 1));
                    p99.push_back(std::max<std::uint64_t>(c->latency.p99, 1));
                    colours.push_back(colour(c->verdict));
                }
            if (labels.empty())
                continue;
            charts.push_back(
                {{"title", emulated ? device + ": TCG-emulated kernels (compare only with each "
                                               "other)"
                                    : device},
                 {"emulated", emulated},
                 {"labels", labels},
                 {"p50", p50},
                 {"p90", p90},
                 {"p99", p99},
                 {"colors", colours}});
        }
    return {{"charts", charts}};
}
} // namespace

std::string html_report(const RunResult& result, const BaselineComparison* baseline) {
    const ReportGrid grid(result);
    const Summary s = summarize(result.cells);
    const std::string totals =
        fmt::format("<span class=\"pass\">{} pass</span><span class=\"fail\">{} fail</span>"
                    "<span class=\"unsupported\">{} unsupported</span>"
                    "<span class=\"error\">{} error</span>{}{}",
                    s.pass, s.fail, s.unsupported, s.error,
                    s.expected ? fmt::format("<span class=\"expected\">{} expected</span>",
                                             s.expected)
                               : std::string(),
                    s.fixed ? fmt::format("<span class=\"fixed\">{} fixed</span>", s.fixed)
                            : std::string());
    // Only a report with a known outcome (--expect) carries their style and legend, so one
    // without stays as it was.
    const bool marked = std::ranges::any_of(
        result.cells, [](const CellResult& c) { return c.expected.has_value(); });
    const std::string data = chart_data(grid).dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
    return fill(kHtmlTemplate,
                {{"TITLE", esc("hookmatrix: " + result.run.host + " " + result.run.kernel_release)},
                 {"TOTALS", totals},
                 {"EXPECTED_STYLE", marked ? kExpectedStyle : ""},
                 {"EXPECTED_LEGEND", marked ? kExpectedLegend : ""},
                 {"RUN", run_section(result, grid)},
                 {"TABLE", table_section(grid)},
                 {"SINCE", html_since_section(result)},
                 {"CHOIRS", choirs_section(result.choirs, grid.axis())},
                 {"BENCH", html_throughput_section(result)},
                 {"BASELINE", baseline ? html_changes_section(*baseline) : std::string()},
                 {"CHARTJS", inline_script(kChartJs)},
                 {"DATA", json_for_script(data)}});
}

std::unique_ptr<Reporter> make_html_reporter(std::string path) {
    return make_file_reporter(std::move(path), [](const RunResult& r, const BaselineComparison* b) {
        return html_report(r, b);
    });
}

} // namespace hm
