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

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

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

// The cells of one source with their windows taken in turns: every cell is visited once per
// window (rig, program, warm-up, one window, one ceiling window), so that a drift in what else
// the machine runs falls on every cell alike instead of on whichever cell ran in the worse
// minute; a ratio of two cells then compares the same minutes. `visit` is told each pass. A cell
// that is unsupported is not visited again; one whose visit fails keeps that failure.
std::vector<ThroughputResult> run_throughput_interleaved(
    std::span<const Cell* const> cells, SourceKind source, KernelFeatures& features,
    const ThroughputOptions& options, const std::string& kernel, const std::atomic<bool>& stop,
    const std::function<void(unsigned pass)>& visit);

} // namespace hm
