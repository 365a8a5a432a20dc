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
    // CPU time of the generator thread and of ksoftirqd on its CPU (core/thread_cpu.h): the
    // packets' own cost, without what else ran on that CPU. 0: not measured (older files).
    std::uint64_t own_cpu_ns = 0;
    double pps() const { return seconds > 0 ? static_cast<double>(counted) / seconds : 0; }
    // Own CPU ns per counted packet; 0 when not measured.
    double own_ns_per_packet() const {
        return counted ? static_cast<double>(own_cpu_ns) / static_cast<double>(counted) : 0;
    }
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

// A cell whose rate is at least this share of its source's ceiling measured the source, not the
// hook: "within a few per cent" of what the source makes with nothing after it.
inline constexpr double kGeneratorBoundShare = 0.95;

struct ThroughputResult {
    std::string hook, device, kernel;
    // What made the traffic: "skb" (AF_PACKET; frames reach the device as skbs) or "xdp" (live
    // XDP frames redirected into the device). Files written before there were two read as "skb".
    std::string source = "skb";
    Verdict verdict = Verdict::Error; // pass: measured; unsupported or error with the reason
    std::string reason;
    std::string action;     // "drop" or "pass": what the program returned for every packet
    std::string method;     // how traffic was made, e.g. "af_packet sendmmsg, qdisc bypass, ..."
    std::string cpu_layout; // which CPU did what
    std::string attachment;
    // What the receiving device was set to so that it takes the source's frames ("GRO on dut:
    // ..."); empty when nothing was needed.
    std::string receiver;
    // Measured in a guest whose CPU qemu emulated (TCG): the figures say what the emulator
    // costs, not the hook; only their ratios between cells of the same guest mean anything.
    bool emulated = false;
    std::optional<int> generator_cpu; // the CPU ns_per_packet is charged on
    std::optional<double> source_max_pps; // the source was throttled to this rate (a test)
    std::vector<ThroughputWindow> windows;
    // The source's ceiling: the same source, CPU and window length with its frames going nowhere
    // (counted = frames the source got out), measured in the cell right after its windows.
    std::vector<ThroughputWindow> ceiling;
    std::string ceiling_method; // how the frames were made to go nowhere

    // Over the windows: the median, or 0 without windows.
    double pps_median() const;
    double pps_min() const;
    double pps_max() const;
    double ns_per_packet_median() const;
    // Median over the windows of own_ns_per_packet(); 0 when the windows lack it.
    double own_ns_per_packet_median() const;
    std::vector<double> own_ns_samples() const;
    double cpu_busy_median() const;
    std::vector<double> pps_samples() const;
    // The source alone: its median rate (0 without a ceiling) and its CPU ns per frame (its own
    // CPU time when measured, else the generator CPU's busy time).
    double ceiling_pps() const;
    double ceiling_ns_per_frame() const;
    // The rate is within a few per cent of the source's ceiling (kGeneratorBoundShare): the
    // figure is the generator's, whatever the hook costs.
    bool generator_bound() const;
};

// The headline: per device, kernel and source, xdpdrv's packets per second over xdpgeneric's, from
// hookmatrix's own cells and, when xdp-bench could run, from `xdp-bench drop` in native and skb
// mode on the same topology and source. A side that could not be measured has no ratio and a note
// why.
struct ThroughputRatio {
    std::string device, kernel;
    std::string source = "skb"; // as in ThroughputResult
    std::optional<double> hookmatrix;
    // The ratio's range over the windows: slowest xdpdrv window over fastest xdpgeneric window,
    // and the other way round. A range that holds 1.0 is no measurable difference.
    std::optional<double> hookmatrix_low, hookmatrix_high;
    // CPU ns per packet of each mode (median over its windows): the packets' own CPU time when
    // the windows have it (ThroughputWindow::own_cpu_ns), else the generator CPU's busy time.
    std::optional<double> xdpdrv_ns, xdpgeneric_ns;
    // The same ratio from those CPU times: xdpgeneric's ns per packet over xdpdrv's. Unlike the
    // rates it does not move with what else the machine runs on the generator's CPU. With its
    // range over the windows.
    std::optional<double> by_cpu, by_cpu_low, by_cpu_high;
    bool generator_bound = false; // either cell was (ThroughputResult::generator_bound)
    bool emulated = false;        // the cells were (ThroughputResult::emulated)
    std::string hookmatrix_note;
    std::optional<double> xdp_bench;
    std::optional<double> xdp_bench_native_pps, xdp_bench_skb_pps;
    std::string xdp_bench_note;

    // The headline ratio and its windows' range lie wholly above or below 1.0, and not wholly
    // inside the equivalence margin (within_margin). The headline is by_cpu when measured, else
    // the rates' ratio.
    bool measurable() const;
    // The windows' range lies wholly inside 1 +- kEquivalenceMargin: whatever side of 1.0 it is
    // on, the difference is smaller than two runs of the same cells differ by here.
    bool within_margin() const;
    std::optional<double> headline() const { return by_cpu ? by_cpu : hookmatrix; }
    // "xdpdrv faster", "xdpdrv slower", "no measurable difference"; empty without a ratio.
    std::string difference() const;
    // xdpgeneric's ns per packet minus xdpdrv's: what native XDP saves per packet.
    std::optional<double> ns_saved() const;
};

// A ratio whose windows all lie within 10 % of 1.0 is no measurable difference even when they lie
// on one side of it: bench's ratios of the same cells moved by 3-6 % between runs on this
// machine (docs/benchmarks.md: skb 0.94x to 0.97x, xdp 2.59x to 2.63x), so a smaller gap is one
// the next run may not repeat. An equivalence margin, as in equivalence testing (TOST).
inline constexpr double kEquivalenceMargin = 0.10;

// Why the skb source shows no native advantage on veth, in one sentence, for the reports.
inline constexpr const char* kSkbOnVethNote =
    "With the skb source a frame reaches veth as an skb, so native XDP must first turn it into an "
    "XDP buffer (copying it when it lacks headroom) while generic XDP runs on the skb as it is, "
    "and the socket's send path, on the same CPU, costs far more than either: native XDP gains "
    "nothing there; it pays off for frames that arrive as XDP frames, as the xdp source's do.";

// xdpdrv / xdpgeneric from the pass cells of `bench` on (device, kernel, source); nullopt with
// the reason in `why` when either is missing or did not pass.
std::optional<double> xdp_mode_ratio(const std::vector<ThroughputResult>& bench,
                                     const std::string& device, const std::string& kernel,
                                     std::string& why, const std::string& source = "skb");

// hookmatrix's side of `ratio` (its device, kernel and source): the ratio, its range, each mode's
// ns per packet and whether either cell was generator-bound; or the note why there is none.
void fill_xdp_mode_ratio(ThroughputRatio& ratio, const std::vector<ThroughputResult>& bench);

double median(std::vector<double> values);

} // namespace hm
