#pragma once
// A bench run as `hookmatrix bench` writes it: two XDP modes and tc on veth with five windows
// each, an unsupported cell, and the ratio with xdp-bench's note.
#include "matrix/results/result.h"

#include <initializer_list>

namespace hm::test {

// A window of 0.5 s in which CPU 1 was busy throughout and `mpps` were counted.
inline ThroughputWindow throughput_window(double mpps) {
    return {.seconds = 0.5,
            .counted = static_cast<std::uint64_t>(mpps * 1e6 * 0.5),
            .sent = static_cast<std::uint64_t>(mpps * 1e6 * 0.5) + 10,
            .cpu_busy = 1.25,
            .cpu_busy_per_cpu = {0.25, 1.0}};
}

inline ThroughputResult throughput_cell(std::string hook, std::initializer_list<double> mpps,
                              std::string kernel = "6.18.0", std::string source = "skb") {
    ThroughputResult b{.hook = std::move(hook), .device = "veth", .kernel = std::move(kernel),
                  .source = std::move(source), .verdict = Verdict::Pass, .reason = "measured",
                  .action = "drop", .method = "af_packet sendmmsg",
                  .cpu_layout = "generator on CPU 1", .attachment = "xdp attached",
                  .generator_cpu = 1};
    for (double m : mpps)
        b.windows.push_back(throughput_window(m));
    return b;
}

// The same cell with its source's ceiling measured, `mpps` a window.
inline ThroughputResult with_ceiling(ThroughputResult b, std::initializer_list<double> mpps) {
    for (double m : mpps)
        b.ceiling.push_back(throughput_window(m));
    b.ceiling_method = "the same source with a program that drops every frame";
    return b;
}

inline RunResult throughput_run() {
    RunResult r;
    r.run.tool_version = "0.1.0";
    r.run.libbpf_version = "1.1.2";
    r.run.host = "box";
    r.run.kernel_release = "6.18.0";
    r.run.command_line = "hookmatrix bench --hooks xdpgeneric,xdpdrv,tc-ingress --devices veth";
    r.run.cpu = 1;
    r.throughput = {throughput_cell("xdpgeneric", {0.80, 0.81, 0.79, 0.82, 0.80}),
               throughput_cell("xdpdrv", {1.20, 1.21, 1.19, 1.22, 1.20}),
               throughput_cell("tc-ingress", {1.30, 1.28, 1.31, 1.29, 1.30})};
    ThroughputResult tap{.hook = "xdpgeneric", .device = "tap", .kernel = "6.18.0",
                    .verdict = Verdict::Unsupported, .reason = "a tap's far side is a file",
                    .action = "drop", .cpu_layout = "generator on CPU 1"};
    r.throughput.push_back(tap);
    r.throughput_ratios = {{.device = "veth", .kernel = "6.18.0", .hookmatrix = 1.5,
                       .xdp_bench_note = "xdp-bench needs the xdp_redirect_map tracepoints"}};
    return r;
}

} // namespace hm::test
