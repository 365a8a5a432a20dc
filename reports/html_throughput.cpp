#include "reports/html_throughput.h"

#include "reports/escape.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace hm {

namespace {
std::string esc(std::string_view s) { return xml_escape(s); }

std::string mpps(double pps) { return fmt::format("{:.3f}", pps / 1e6); }

std::string ratio_text(const std::optional<double>& r, const std::string& note) {
    return r ? fmt::format("<b>{:.2f}×</b>", *r)
             : fmt::format("<span class=\"note\">none: {}</span>", esc(note));
}

// Per device, a bar per cell: median Mpps, with the slowest and fastest window as markers.
nlohmann::json chart_data(const std::vector<ThroughputResult>& bench) {
    std::vector<std::string> devices;
    for (const auto& b : bench)
        if (std::ranges::find(devices, b.device) == devices.end())
            devices.push_back(b.device);
    nlohmann::json charts = nlohmann::json::array();
    for (const auto& device : devices) {
        nlohmann::json labels = nlohmann::json::array(), median = labels, low = labels,
                       high = labels;
        for (const auto& b : bench) {
            if (b.device != device || b.verdict != Verdict::Pass)
                continue;
            labels.push_back(b.hook + " @ " + b.kernel);
            median.push_back(b.pps_median() / 1e6);
            low.push_back(b.pps_min() / 1e6);
            high.push_back(b.pps_max() / 1e6);
        }
        if (!labels.empty())
            charts.push_back({{"title", device + ": packets per second the program counted"},
                              {"labels", labels},
                              {"median", median},
                              {"min", low},
                              {"max", high}});
    }
    return charts;
}
} // namespace

std::string html_throughput_section(const RunResult& r) {
    if (r.throughput.empty())
        return {};
    std::string out =
        "<section id=\"bench\">\n<h2>Throughput under load</h2>\n<p class=\"note\">Per cell, a "
        "program at the hook counts every packet and then drops or passes it while a generator "
        "loads the device. Mpps is what the program counted (median of the windows, with the "
        "slowest and fastest); ns per packet is the busy time (/proc/stat) of the CPU the "
        "generator and the receive path ran on, over the packets counted; CPUs busy counts every "
        "CPU of the machine, whatever ran there.</p>\n";
    if (!r.throughput_ratios.empty()) {
        out += "<table class=\"compat ratios\">\n<thead><tr><th>device</th><th>kernel</th><th>"
               "xdpdrv / xdpgeneric (hookmatrix)</th><th>the same by xdp-bench drop</th></tr>"
               "</thead>\n<tbody>\n";
        for (const auto& q : r.throughput_ratios) {
            std::string xb = ratio_text(q.xdp_bench, q.xdp_bench_note);
            if (q.xdp_bench_native_pps && q.xdp_bench_skb_pps)
                xb += fmt::format(" <small>({} / {} Mpps)</small>", mpps(*q.xdp_bench_native_pps),
                                  mpps(*q.xdp_bench_skb_pps));
            out += fmt::format("<tr class=\"ratio\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                               "</tr>\n",
                               esc(q.device), esc(q.kernel),
                               ratio_text(q.hookmatrix, q.hookmatrix_note), xb);
        }
        out += "</tbody>\n</table>\n";
    }
    out += "<table class=\"compat figures\">\n<thead><tr><th>hook</th><th>device</th><th>kernel"
           "</th><th>verdict</th><th>Mpps</th><th>min .. max</th><th>ns per packet</th><th>CPUs "
           "busy (all)</th><th>windows</th></tr></thead>\n<tbody>\n";
    for (const auto& b : r.throughput) {
        const std::string v(to_string(b.verdict));
        if (b.verdict == Verdict::Pass)
            out += fmt::format("<tr class=\"bench\"><th class=\"hook\">{}</th><td>{}</td><td>{}"
                               "</td><td class=\"{}\" title=\"{}\">{}</td><td>{}</td><td>{} .. {}"
                               "</td><td>{:.0f}</td><td>{:.2f}</td><td>{}</td></tr>\n",
                               esc(b.hook), esc(b.device), esc(b.kernel), v,
                               xml_escape(b.attachment, true), v, mpps(b.pps_median()),
                               mpps(b.pps_min()), mpps(b.pps_max()), b.ns_per_packet_median(),
                               b.cpu_busy_median(), b.windows.size());
        else
            out += fmt::format("<tr class=\"bench\"><th class=\"hook\">{}</th><td>{}</td><td>{}"
                               "</td><td class=\"{}\">{}</td><td colspan=\"5\">{}</td></tr>\n",
                               esc(b.hook), esc(b.device), esc(b.kernel), v, v, esc(b.reason));
    }
    out += "</tbody>\n</table>\n";
    const ThroughputResult& first = r.throughput.front();
    out += fmt::format("<p class=\"note\">Action: {}. Traffic: {}. CPUs: {}.</p>\n",
                       esc(first.action), esc(first.method.empty() ? "-" : first.method),
                       esc(first.cpu_layout));
    out += "<div class=\"charts\" id=\"bench-charts\"></div>\n";
    const std::string data = chart_data(r.throughput).dump(-1, ' ', false,
                                                      nlohmann::json::error_handler_t::replace);
    out += "<script type=\"application/json\" id=\"hm-bench-data\">" + json_for_script(data) +
           "</script>\n</section>\n";
    return out;
}

} // namespace hm
