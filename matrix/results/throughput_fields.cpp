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

// Which traffic source made the frames.
struct SourceWord {
    json write(const std::string& source) const { return source; }
    Status read(const Reader& rd, const json& v, const std::string& at, std::string& out) const {
        if (auto s = text.read(rd, v, at, out); !s)
            return s;
        if (out != "xdp" && out != "skb")
            return rd.bad(at, "'" + out + "' is neither xdp nor skb");
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
        field("own_cpu_ns", &ThroughputWindow::own_cpu_ns, number<std::uint64_t>).if_set(),
    };
}

bool has_windows(const ThroughputResult& b) {
    return !b.windows.empty();
}

bool has_ceiling(const ThroughputResult& b) {
    return !b.ceiling.empty();
}

bool has_ratio(const ThroughputRatio& r) {
    return r.hookmatrix.has_value();
}
} // namespace

const Fields<ThroughputResult>& throughput_fields() {
    static const Fields<ThroughputResult> fields = concat(
        cell_head_fields<ThroughputResult>(),
        {
            // Files from before the XDP-frame source had only AF_PACKET's frames.
            field("source", &ThroughputResult::source, SourceWord{}).defaulted(),
            field("action", &ThroughputResult::action, Action{}),
            field("method", &ThroughputResult::method, text),
            field("cpu_layout", &ThroughputResult::cpu_layout, text),
            field("attachment", &ThroughputResult::attachment, text).if_set(),
            field("receiver", &ThroughputResult::receiver, text).if_set(),
            field("emulated", &ThroughputResult::emulated, flag).if_set(),
            field("generator_cpu", &ThroughputResult::generator_cpu, maybe(cpu_index)).if_set(),
            field("source_max_pps", &ThroughputResult::source_max_pps, maybe(number<double>))
                .if_set(),
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
            derived<ThroughputResult>("own_ns_per_packet",
                                      [](const ThroughputResult& b) {
                                          return json(b.own_ns_per_packet_median());
                                      })
                .written_if([](const ThroughputResult& b) { return !b.own_ns_samples().empty(); }),
            field("windows", &ThroughputResult::windows,
                  objects(window_fields(), ObjectCheck::NamedWithDot)),
            field("ceiling_method", &ThroughputResult::ceiling_method, text).if_set(),
            derived<ThroughputResult>("ceiling_pps",
                                      [](const ThroughputResult& b) {
                                          return json(b.ceiling_pps());
                                      })
                .written_if(has_ceiling),
            derived<ThroughputResult>("ceiling_ns_per_frame",
                                      [](const ThroughputResult& b) {
                                          return json(b.ceiling_ns_per_frame());
                                      })
                .written_if(has_ceiling),
            derived<ThroughputResult>(
                "generator_bound",
                [](const ThroughputResult& b) { return json(b.generator_bound()); })
                .written_if(has_ceiling),
            field("ceiling", &ThroughputResult::ceiling,
                  objects(window_fields(), ObjectCheck::NamedWithDot))
                .if_set(),
        });
    return fields;
}

const Fields<ThroughputRatio>& throughput_ratio_fields() {
    static const Fields<ThroughputRatio> fields{
        field("device", &ThroughputRatio::device, text),
        field("kernel", &ThroughputRatio::kernel, text),
        field("source", &ThroughputRatio::source, SourceWord{}).defaulted(),
        field("hookmatrix", &ThroughputRatio::hookmatrix, maybe(number<double>)).if_set(),
        field("hookmatrix_low", &ThroughputRatio::hookmatrix_low, maybe(number<double>)).if_set(),
        field("hookmatrix_high", &ThroughputRatio::hookmatrix_high, maybe(number<double>))
            .if_set(),
        derived<ThroughputRatio>("difference",
                                 [](const ThroughputRatio& r) { return json(r.difference()); })
            .written_if(has_ratio),
        field("xdpdrv_ns", &ThroughputRatio::xdpdrv_ns, maybe(number<double>)).if_set(),
        field("xdpgeneric_ns", &ThroughputRatio::xdpgeneric_ns, maybe(number<double>)).if_set(),
        derived<ThroughputRatio>("ns_saved",
                                 [](const ThroughputRatio& r) { return json(*r.ns_saved()); })
            .written_if([](const ThroughputRatio& r) { return r.ns_saved().has_value(); }),
        field("by_cpu", &ThroughputRatio::by_cpu, maybe(number<double>)).if_set(),
        field("by_cpu_low", &ThroughputRatio::by_cpu_low, maybe(number<double>)).if_set(),
        field("by_cpu_high", &ThroughputRatio::by_cpu_high, maybe(number<double>)).if_set(),
        field("generator_bound", &ThroughputRatio::generator_bound, flag).if_set(),
        field("emulated", &ThroughputRatio::emulated, flag).if_set(),
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
