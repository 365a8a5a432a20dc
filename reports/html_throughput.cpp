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

// The headline ratio (by CPU time when measured, else by rate): "no measurable difference" when
// its windows' range holds 1.0; the rates' ratio beside it.
std::string hookmatrix_cell(const ThroughputRatio& q) {
    if (!q.hookmatrix)
        return ratio_text(q.hookmatrix, q.hookmatrix_note);
    const bool cpu = q.by_cpu.has_value();
    std::string out = q.measurable()
                          ? fmt::format("<b>{:.2f}×</b>", *q.headline())
                          : fmt::format("no measurable difference <small>({:.2f}×{})</small>",
                                        *q.headline(),
                                        q.within_margin()
                                            ? fmt::format(", inside the ±{:.0f} % margin runs "
                                                          "here differ by",
                                                          kEquivalenceMargin * 100)
                                            : std::string());
    const auto& low = cpu ? q.by_cpu_low : q.hookmatrix_low;
    const auto& high = cpu ? q.by_cpu_high : q.hookmatrix_high;
    out += cpu ? " <small>by CPU time</small>" : " <small>by rate</small>";
    if (low && high)
        out += fmt::format(" <small>windows {:.2f} .. {:.2f}</small>", *low, *high);
    if (cpu)
        out += fmt::format("<br><small>by rate {:.2f}×</small>", *q.hookmatrix);
    if (q.generator_bound)
        out += " <span class=\"note\">generator-bound</span>";
    if (q.emulated)
        out += " <span class=\"note\">emulated (TCG guest)</span>";
    return out;
}

std::string ns_cell(const ThroughputRatio& q) {
    auto saved = q.ns_saved();
    if (!saved)
        return "-";
    return fmt::format("{:.0f} / {:.0f} ({:+.0f})", *q.xdpdrv_ns, *q.xdpgeneric_ns, -*saved);
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
            labels.push_back(b.hook + " (" + b.source + ") @ " + b.kernel);
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
        "slowest and fastest); ns per packet is the CPU time of the generator's thread and of "
        "ksoftirqd on its CPU (where veth delivers and the hook runs) over the packets counted, "
        "and beside it the busy time (/proc/stat) of that CPU, which also holds whatever else ran "
        "there; CPUs busy counts every CPU of the machine.</p>\n";
    if (!r.throughput_ratios.empty()) {
        out += "<table class=\"compat ratios\">\n<thead><tr><th>device</th><th>kernel</th><th>"
               "source</th><th>xdpdrv / xdpgeneric (hookmatrix)</th><th>ns per packet: xdpdrv / "
               "xdpgeneric (difference)</th><th>the same by xdp-bench drop</th></tr>"
               "</thead>\n<tbody>\n";
        for (const auto& q : r.throughput_ratios) {
            std::string xb = ratio_text(q.xdp_bench, q.xdp_bench_note);
            if (q.xdp_bench_native_pps && q.xdp_bench_skb_pps)
                xb += fmt::format(" <small>({} / {} Mpps)</small>", mpps(*q.xdp_bench_native_pps),
                                  mpps(*q.xdp_bench_skb_pps));
            out += fmt::format("<tr class=\"ratio\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                               "<td>{}</td><td>{}</td></tr>\n",
                               esc(q.device), esc(q.kernel), esc(q.source), hookmatrix_cell(q),
                               ns_cell(q), xb);
        }
        out += "</tbody>\n</table>\n";
        if (std::ranges::any_of(r.throughput_ratios, [](const ThroughputRatio& q) {
                return q.source == "skb" && q.device == "veth" && q.hookmatrix;
            }))
            out += fmt::format("<p class=\"note\">{}</p>\n", esc(kSkbOnVethNote));
    }
    out += "<table class=\"compat figures\">\n<thead><tr><th>hook</th><th>device</th><th>kernel"
           "</th><th>source</th><th>verdict</th><th>Mpps</th><th>min .. max</th><th>ns per packet: own "
           "(CPU busy)</th><th>CPUs busy (all)</th><th>windows</th><th>source alone: Mpps (ns per frame)"
           "</th></tr></thead>\n<tbody>\n";
    for (const auto& b : r.throughput) {
        const std::string v(to_string(b.verdict));
        std::string ceiling = "-";
        if (!b.ceiling.empty())
            ceiling = fmt::format("{} ({:.0f}){}", mpps(b.ceiling_pps()), b.ceiling_ns_per_frame(),
                                  b.generator_bound() ? " <b>generator-bound</b>" : "");
        if (b.verdict == Verdict::Pass)
            out += fmt::format("<tr class=\"bench\"><th class=\"hook\">{}</th><td>{}</td><td>{}"
                               "</td><td>{}</td><td class=\"{}\" title=\"{}\">{}</td><td>{}</td>"
                               "<td>{} .. {}</td><td>{:.0f} ({:.0f})</td><td>{:.2f}</td><td>{}</td>"
                               "<td>{}</td></tr>\n",
                               esc(b.hook), esc(b.device),
                               esc(b.emulated ? b.kernel + " (emulated)" : b.kernel), esc(b.source), v,
                               xml_escape(b.attachment, true), v, mpps(b.pps_median()),
                               mpps(b.pps_min()), mpps(b.pps_max()),
                               b.own_ns_per_packet_median(), b.ns_per_packet_median(),
                               b.cpu_busy_median(), b.windows.size(), ceiling);
        else
            out += fmt::format("<tr class=\"bench\"><th class=\"hook\">{}</th><td>{}</td><td>{}"
                               "</td><td>{}</td><td class=\"{}\">{}</td><td colspan=\"6\">{}</td>"
                               "</tr>\n",
                               esc(b.hook), esc(b.device),
                               esc(b.emulated ? b.kernel + " (emulated)" : b.kernel), esc(b.source), v, v,
                               esc(b.reason));
    }
    out += "</tbody>\n</table>\n";
    // One line per source: how it made its frames, what the receiver needed, its ceiling.
    std::vector<std::string> said;
    for (const auto& b : r.throughput) {
        if (b.method.empty() || std::ranges::find(said, b.source) != said.end())
            continue;
        said.push_back(b.source);
        out += fmt::format("<p class=\"note\">Source {}: {}.{}{} Action: {}. CPUs: {}.</p>\n",
                           esc(b.source), esc(b.method),
                           b.receiver.empty() ? "" : " Receiver: " + esc(b.receiver) + ".",
                           b.ceiling_method.empty() ? "" : " Ceiling: " + esc(b.ceiling_method) + ".",
                           esc(b.action), esc(b.cpu_layout));
    }
    out += "<div class=\"charts\" id=\"bench-charts\"></div>\n";
    const std::string data = chart_data(r.throughput).dump(-1, ' ', false,
                                                      nlohmann::json::error_handler_t::replace);
    out += "<script type=\"application/json\" id=\"hm-bench-data\">" + json_for_script(data) +
           "</script>\n</section>\n";
    return out;
}

} // namespace hm
