#pragma once
// `hookmatrix bench` per cell: the counter program at the hook, the generator loading the device
// from the far side, and K equal windows in which the counter, the frames sent and /proc/stat
// are read at both ends. Everything lives in the cell's own namespaces, as in `run`.
#include "matrix/results/throughput_result.h"
#include "matrix/cell.h"
#include "matrix/features.h"
#include "runners/programs/throughput_counter.h"

#include <chrono>
#include <string>

namespace hm {

struct ThroughputOptions {
    std::chrono::milliseconds window{1000};
    unsigned windows = 5;
    // Traffic before the first window, so that caches, NAPI and the page pool are warm.
    std::chrono::milliseconds warm_up{300};
    CounterAction action = CounterAction::Drop;
    int generator_cpu = 0;   // where the generator, and with it the receive path, runs
    std::string cpu_layout;  // said in every result
};

ThroughputResult run_throughput_cell(const Cell& cell, KernelFeatures& features, const ThroughputOptions& options,
                           const std::string& kernel);

// The cross-check: `xdp-bench drop` in native and in skb mode on a veth topology of its own,
// loaded by the same generator. Fills the xdp_bench fields of `ratio`; when xdp-bench is missing
// or fails, says so in ratio.xdp_bench_note and leaves the figures empty. Never an error: bench
// does not depend on xdp-bench.
void cross_check_with_xdp_bench(ThroughputRatio& ratio, const ThroughputOptions& options);

// The packets per second xdp-bench printed: the median of its "Summary N rx/s" lines (commas
// allowed); nullopt when there are none.
std::optional<double> parse_xdp_bench_rate(const std::string& output);

} // namespace hm
