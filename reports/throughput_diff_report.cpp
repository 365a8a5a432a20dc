#include "reports/throughput_diff_report.h"

#include "reports/escape.h"

#include <fmt/format.h>

namespace hm {

namespace {
std::string figures(const ThroughputChange& c) {
    if (c.change == Change::Added || c.change == Change::Removed)
        return std::string(to_string(c.change));
    if (!c.base_pps || !c.new_pps)
        return c.note;
    std::string out =
        fmt::format("{:.3f} -> {:.3f} Mpps ({:+.1f}%), windows {} {}", c.base_pps / 1e6,
                    c.new_pps / 1e6, c.relative * 100, c.base_windows, c.new_windows);
    out += c.separated ? fmt::format(", no overlap, p={:.2g}", c.p) : ", windows overlap";
    if (!c.note.empty())
        out += "; " + c.note;
    return out;
}
} // namespace

std::string throughput_diff_to_text(const ThroughputDiff& diff) {
    std::string out = "bench (packets per second the program counted, median of the windows):\n";
    for (const auto& c : diff.changes)
        out += fmt::format("  {:<12} {:<20} {:<8} {:<3} {}\n", to_string(c.change), c.hook,
                           c.device, c.source, figures(c));
    out += fmt::format("bench: {} regressions, {} improvements, {} compared\n", diff.regressions,
                       diff.improvements, diff.changes.size());
    return out;
}

nlohmann::ordered_json throughput_diff_to_json(const ThroughputDiff& diff) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& c : diff.changes) {
        nlohmann::ordered_json j{{"hook", c.hook},
                                 {"device", c.device},
                                 {"source", c.source},
                                 {"base_kernel", c.base_kernel},
                                 {"new_kernel", c.new_kernel},
                                 {"change", std::string(to_string(c.change))}};
        if (c.base_windows && c.new_windows)
            j.update({{"base_pps", c.base_pps},
                      {"new_pps", c.new_pps},
                      {"relative", c.relative},
                      {"base_windows", c.base_windows},
                      {"new_windows", c.new_windows},
                      {"separated", c.separated},
                      {"p", c.p}});
        if (!c.note.empty())
            j["note"] = c.note;
        out.push_back(std::move(j));
    }
    return out;
}

std::string throughput_diff_to_markdown(const ThroughputDiff& diff) {
    std::string out = "\n### bench\n\n| change | hook | device | source | figures |\n"
                      "|---|---|---|---|---|\n";
    for (const auto& c : diff.changes)
        out += fmt::format("| {} | {} | {} | {} | {} |\n", to_string(c.change),
                           markdown_escape(c.hook), markdown_escape(c.device),
                           markdown_escape(c.source), markdown_escape(figures(c)));
    return out;
}

} // namespace hm
