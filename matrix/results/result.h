#pragma once
// What a run produces: one CellResult per cell and a description of the run. Reporters read
// these; nothing here knows about JSON or terminals.
#include "matrix/results/throughput_result.h"
#include "matrix/results/verdict.h"
#include "matrix/stats/stats.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hm {

struct CellResult {
    std::string hook, device, kernel;
    Verdict verdict = Verdict::Error;
    std::string reason;     // always set: why this verdict
    std::string detail;     // verifier log, a tool's stderr; may be empty
    std::string attachment; // how it was attached: "xdp generic mode, prog id 12"
    std::uint32_t packets_sent = 0;
    std::uint32_t replies = 0;
    std::uint32_t fired = 0; // probe events for the expected packets
    std::vector<std::uint64_t> samples_ns; // per packet, in send order
    std::vector<std::string> trace; // --trace: the program's trace lines, "task-pid: text"
    LatencyStats latency;
    double duration_s = 0;
    // Extra measurements taken because the latency regressed against a baseline (run
    // --baseline, runners/remeasure.h); 0 when measured once.
    std::uint32_t remeasured = 0;
    // Where the cell ran when results from several runs were merged: the shard ("shard 2/4") or
    // the input file. Cells of one origin ran together, in the order they are listed; `diff`
    // judges a cell against neighbours of its own origin. Empty: this run.
    std::string origin;

    // A known outcome (`--expect FILE`, matrix/results/expectations.h): the verdict an entry of
    // the file expects of this cell and why. None: no entry matched, or no --expect.
    struct Expected {
        // Met: the verdict is the expected one, which is no failure. Fixed: the cell passes; the
        // expectation is stale. Unmet: another verdict, which counts as it is.
        enum class Outcome { Met, Fixed, Unmet };
        Verdict verdict = Verdict::Fail;
        std::string reason; // why, or a link
        Outcome outcome_for(Verdict v) const {
            if (v == verdict)
                return Outcome::Met;
            return v == Verdict::Pass ? Outcome::Fixed : Outcome::Unmet;
        }
        bool operator==(const Expected&) const = default;
    };
    std::optional<Expected> expected;
    // Derived from the verdict rather than kept beside it, so a verdict that changes after the
    // cell was marked (a later round) cannot leave a stale outcome behind.
    std::optional<Expected::Outcome> expected_outcome() const {
        return expected ? std::optional(expected->outcome_for(verdict)) : std::nullopt;
    }
    bool expected_met() const { return expected_outcome() == Expected::Outcome::Met; }
};

// One hook's part in a choir: every compatible hook attached on one device at once.
struct ChoirVoice {
    std::string hook;
    Verdict verdict = Verdict::Error;
    std::string reason;
    std::string attachment;
    std::uint32_t fired = 0;
    LatencyStats latency; // from the request's send time, also for hooks that see the reply
};

// The order the hooks fired in for one packet, when it differs from the choir's usual order.
struct ChoirDeviation {
    std::uint32_t seq = 0;
    std::vector<std::string> order;
};

struct ChoirResult {
    std::string device, kernel;
    std::uint32_t packets = 0;
    // The hooks in the order they fired for a request and its reply, as most packets saw it.
    std::vector<std::string> order;
    std::uint32_t same_order = 0;           // packets whose hooks fired in exactly that order
    std::vector<ChoirDeviation> deviations; // the first few that did not
    std::vector<ChoirVoice> voices;         // in catalogue order
    // --trace with users' programs: the trace lines' texts in the order most packets printed them
    // (the probes' order above covers only the probes: users' programs write no events).
    std::vector<std::string> trace_order;
    std::vector<std::pair<std::string, std::string>> left_out; // hook, why it is not in the choir
    std::string reason; // when the choir could not run at all (then voices is empty)
    bool unsupported = false; // ... because this kernel cannot make the device: not a failure
    double duration_s = 0;
    bool ok() const;
};

// How one kernel of the run ran: in this process (host) or in a guest.
struct KernelRun {
    std::string name;    // as named on the kernel axis: "host", "debian:6.12"
    std::string release; // uname -r; empty when the guest never said
    std::string how;     // "host", "tcg" or "kvm"
    std::string origin;  // the package or file it came from
    double boot_s = 0;   // kernel start to the guest's /init (guest clock)
    double wall_s = 0;   // the guest's whole life, boot to power-off (host clock)
    std::string error;   // why its cells are errors, when the guest failed
};

struct RunInfo {
    std::string schema = "hookmatrix/1";
    std::string tool_version;
    std::string libbpf_version;
    std::string host;
    std::string kernel_release;
    std::string command_line;
    std::chrono::system_clock::time_point started;
    double duration_s = 0;
    std::uint32_t packets_per_cell = 0;
    std::string shard; // "I/N" for `run --shard I/N`; empty for a whole run
    std::optional<int> cpu; // the CPU the run was pinned to; none for `--cpu any`
    // Set by `merge` when its inputs differ: every host and kernel release, in input order.
    std::vector<std::string> hosts, kernels;
    std::vector<KernelRun> kernel_runs; // one per kernel of a run with --kernels
};

struct RunResult {
    RunInfo run;
    std::vector<CellResult> cells;
    std::vector<ChoirResult> choirs;
    // `hookmatrix bench` writes these (results.json "bench", "bench_ratios"); else empty.
    std::vector<ThroughputResult> throughput;
    std::vector<ThroughputRatio> throughput_ratios; // xdpdrv / xdpgeneric per device and kernel
};

struct Summary {
    // A cell whose verdict was the expected one (--expect) counts under `expected`, not under its
    // verdict, so it fails nothing; a cell that passes where something else was expected counts
    // under pass and under `fixed`.
    std::size_t pass = 0, fail = 0, unsupported = 0, error = 0, attached = 0;
    std::size_t expected = 0, fixed = 0;
    bool ok() const { return fail == 0 && error == 0; }
};
Summary summarize(const std::vector<CellResult>& cells);

} // namespace hm
