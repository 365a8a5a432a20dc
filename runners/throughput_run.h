#pragma once
// `hookmatrix bench` below the command line: each cell measured under load with each traffic
// source (runners/throughput_cell.h), then per device and source the xdpdrv / xdpgeneric ratio,
// cross-checked with xdp-bench where it can run. Its results and progress go to the reporters.
#include "core/error.h"
#include "matrix/cell.h"
#include "matrix/results/result.h"
#include "reports/reporter.h"
#include "runners/kernels/guest_pool.h"
#include "runners/throughput_cell.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace hm {

// The generator's CPU, and another one for hookmatrix's own thread, which sleeps through the
// windows but wakes to read counters: on the generator's CPU it would steal from the path.
struct CpuPlan {
    int generator = 0;
    int control = 0;
    std::string layout; // said in every result
};
// `wanted`: the generator's CPU (default: the highest-numbered this process may use).
Result<CpuPlan> plan_cpus(std::optional<int> wanted);

struct ThroughputRequest {
    // The running kernel's cells run here; the other kernels' in a qemu guest each, which runs
    // `hookmatrix bench` on them with the same options (runners/kernels/guest_run.h). A TCG
    // guest's figures are marked emulated.
    std::vector<Cell> cells;
    // Each cell is measured once per source, all cells of the first source first. A source the
    // kernel lacks gives unsupported cells that say why; the skb source always runs beside it.
    std::vector<SourceKind> sources{SourceKind::Xdp, SourceKind::Skb};
    ThroughputOptions options;
    bool xdp_bench = true;      // the cross-check, where it applies
    std::string xdp_bench_path; // the xdp-bench to run; empty: the one on PATH
    RunInfo info;               // the caller's description of the run
    // How the other kernels' guests are made; `guests.guest.bench_args` is filled in from
    // `options` and `sources`.
    KernelAxisOptions guests;
};

// The arguments of the guest's `hookmatrix bench` that repeat this request's options.
std::vector<std::string> guest_bench_args(const ThroughputRequest& request);

struct ThroughputOutcome {
    RunResult result;
    Status written; // what the reporters' end() said
    bool interrupted = false;
    bool ok() const; // no cell failed or erred
};

// Runs every cell, then the ratios, and ends the reporters. `stop` ends it after the cell in
// progress; what ran is still reported.
ThroughputOutcome run_throughput(const ThroughputRequest& request, Reporter& reporters,
                                 const std::atomic<bool>& stop);

} // namespace hm
