#pragma once
// `hookmatrix bench` per cell: the counter program at the hook on the cell's rig
// (runners/cell_rig.h), a traffic source loading the device from the far side
// (runners/traffic/traffic_source.h), and K equal windows in which the counter, the frames sent and
// /proc/stat are read at both ends; then the source's own ceiling in K more windows
// (runners/source_ceiling.h). Everything lives in the cell's own namespaces, as in `run`.
#include "matrix/cell.h"
#include "matrix/features.h"
#include "matrix/results/throughput_result.h"
#include "runners/programs/throughput_counter.h"
#include "runners/traffic/traffic_source.h"

#include <chrono>
#include <optional>
#include <string>

namespace hm {

struct ThroughputOptions {
    std::chrono::milliseconds window{1000};
    unsigned windows = 5;
    // Traffic before the first window, so that caches, NAPI and the page pool are warm.
    std::chrono::milliseconds warm_up{300};
    CounterAction action = CounterAction::Drop;
    int generator_cpu = 0;  // where the generator, and with it the receive path, runs
    std::string cpu_layout; // said in every result
    // Holds every source to this many frames a second: the source is then the bottleneck by
    // construction (how the generator-bound flag is tested). None: as fast as it goes.
    std::optional<double> source_max_pps;
    bool ceiling = true; // measure the source's ceiling after the cell's windows
};

ThroughputResult run_throughput_cell(const Cell& cell, SourceKind source,
                                     KernelFeatures& features, const ThroughputOptions& options,
                                     const std::string& kernel);

} // namespace hm
