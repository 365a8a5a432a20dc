#pragma once
// `hookmatrix bench` below the command line: each cell measured under load
// (runners/throughput_cell.h), then per device the xdpdrv / xdpgeneric ratio, cross-checked with
// xdp-bench where it can run. Its results and progress go to the reporters.
#include "core/error.h"
#include "matrix/cell.h"
#include "matrix/results/result.h"
#include "reports/reporter.h"
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
    std::vector<Cell> cells;
    ThroughputOptions options;
    bool xdp_bench = true; // the cross-check, where it applies
    RunInfo info;          // the caller's description of the run
};

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
