#pragma once
// What `hookmatrix bench` measures per cell: packets per second the program at the hook counted
// while a generator loaded the device, and the CPU time that cost. Each cell is measured in K
// windows of equal length, so that two runs can be compared by their K samples (matrix/
// bench_compare.h) rather than by one number each.
#include "matrix/results/verdict.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hm {

struct ThroughputWindow {
    double seconds = 0;        // measured on CLOCK_MONOTONIC
    std::uint64_t counted = 0; // packets the program at the hook counted (all CPUs)
    std::uint64_t sent = 0;    // frames the generator handed to the kernel
    // CPU time used, from /proc/stat, in CPUs: 1.0 is one CPU busy for the whole window.
    double cpu_busy = 0;
    std::vector<double> cpu_busy_per_cpu; // the same per CPU of the machine, 0..1
    double pps() const { return seconds > 0 ? static_cast<double>(counted) / seconds : 0; }
    // CPU nanoseconds per counted packet on `cpu`, where the generator and the receive path ran
    // (other CPUs hold unrelated work: on a shared machine, builds); all CPUs when cpu is unknown.
    double ns_per_packet(std::optional<int> cpu) const {
        const double busy =
            cpu && *cpu >= 0 && static_cast<std::size_t>(*cpu) < cpu_busy_per_cpu.size()
                ? cpu_busy_per_cpu[static_cast<std::size_t>(*cpu)]
                : cpu_busy;
        return counted ? busy * seconds * 1e9 / static_cast<double>(counted) : 0;
    }
};

struct ThroughputResult {
    std::string hook, device, kernel;
    Verdict verdict = Verdict::Error; // pass: measured; unsupported or error with the reason
    std::string reason;
    std::string action;     // "drop" or "pass": what the program returned for every packet
    std::string method;     // how traffic was made, e.g. "af_packet sendmmsg, qdisc bypass, ..."
    std::string cpu_layout; // which CPU did what
    std::string attachment;
    std::optional<int> generator_cpu; // the CPU ns_per_packet is charged on
    std::vector<ThroughputWindow> windows;

    // Over the windows: the median, or 0 without windows.
    double pps_median() const;
    double pps_min() const;
    double pps_max() const;
    double ns_per_packet_median() const;
    double cpu_busy_median() const;
    std::vector<double> pps_samples() const;
};

// The headline: per device and kernel, xdpdrv's packets per second over xdpgeneric's, from
// hookmatrix's own cells and, when xdp-bench could run, from `xdp-bench drop` in native and skb
// mode on the same topology. A side that could not be measured has no ratio and a note why.
struct ThroughputRatio {
    std::string device, kernel;
    std::optional<double> hookmatrix;
    std::string hookmatrix_note;
    std::optional<double> xdp_bench;
    std::optional<double> xdp_bench_native_pps, xdp_bench_skb_pps;
    std::string xdp_bench_note;
};

// xdpdrv / xdpgeneric from the pass cells of `bench` on (device, kernel); nullopt with the
// reason in `why` when either is missing or did not pass.
std::optional<double> xdp_mode_ratio(const std::vector<ThroughputResult>& bench,
                                     const std::string& device, const std::string& kernel,
                                     std::string& why);

double median(std::vector<double> values);

} // namespace hm
