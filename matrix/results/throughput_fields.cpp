#include "matrix/results/result_fields.h"

namespace hm {

using namespace json_fields;

namespace {
// What the program returned for every packet.
struct Action {
    json write(const std::string& action) const { return action; }
    Status read(const Reader& rd, const json& v, const std::string& at, std::string& out) const {
        if (auto s = text.read(rd, v, at, out); !s)
            return s;
        if (out != "drop" && out != "pass")
            return rd.bad(at, "'" + out + "' is neither drop nor pass");
        return {};
    }
};

Fields<ThroughputWindow> window_fields() {
    return {
        field("seconds", &ThroughputWindow::seconds, number<double>),
        field("counted", &ThroughputWindow::counted, number<std::uint64_t>),
        field("sent", &ThroughputWindow::sent, number<std::uint64_t>),
        field("cpu_busy", &ThroughputWindow::cpu_busy, number<double>),
        field("cpu_busy_per_cpu", &ThroughputWindow::cpu_busy_per_cpu,
              List<double>{"not an array of numbers", "not an array of numbers"}),
    };
}

bool has_windows(const ThroughputResult& b) {
    return !b.windows.empty();
}
} // namespace

const Fields<ThroughputResult>& throughput_fields() {
    static const Fields<ThroughputResult> fields = concat(
        cell_head_fields<ThroughputResult>(),
        {
            field("action", &ThroughputResult::action, Action{}),
            field("method", &ThroughputResult::method, text),
            field("cpu_layout", &ThroughputResult::cpu_layout, text),
            field("attachment", &ThroughputResult::attachment, text).if_set(),
            field("generator_cpu", &ThroughputResult::generator_cpu, maybe(cpu_index)).if_set(),
            // Derived from the windows, for people reading the file; the reader recomputes them.
            derived<ThroughputResult>("pps",
                                      [](const ThroughputResult& b) {
                                          return json{{"median", b.pps_median()},
                                                      {"min", b.pps_min()},
                                                      {"max", b.pps_max()}};
                                      })
                .written_if(has_windows),
            derived<ThroughputResult>(
                "ns_per_packet",
                [](const ThroughputResult& b) { return json(b.ns_per_packet_median()); })
                .written_if(has_windows),
            derived<ThroughputResult>(
                "cpu_busy", [](const ThroughputResult& b) { return json(b.cpu_busy_median()); })
                .written_if(has_windows),
            field("windows", &ThroughputResult::windows,
                  objects(window_fields(), ObjectCheck::NamedWithDot)),
        });
    return fields;
}

const Fields<ThroughputRatio>& throughput_ratio_fields() {
    static const Fields<ThroughputRatio> fields{
        field("device", &ThroughputRatio::device, text),
        field("kernel", &ThroughputRatio::kernel, text),
        field("hookmatrix", &ThroughputRatio::hookmatrix, maybe(number<double>)).if_set(),
        // Without a figure, the note says why.
        field("hookmatrix_note", &ThroughputRatio::hookmatrix_note, text)
            .written_if([](const ThroughputRatio& r) { return !r.hookmatrix; })
            .required_if_written(),
        field("xdp_bench", &ThroughputRatio::xdp_bench, maybe(number<double>)).if_set(),
        field("xdp_bench_native_pps", &ThroughputRatio::xdp_bench_native_pps, maybe(number<double>))
            .if_set(),
        field("xdp_bench_skb_pps", &ThroughputRatio::xdp_bench_skb_pps, maybe(number<double>))
            .if_set(),
        field("xdp_bench_note", &ThroughputRatio::xdp_bench_note, text).if_set(),
    };
    return fields;
}

} // namespace hm
