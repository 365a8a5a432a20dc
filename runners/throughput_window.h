#pragma once
// One measured window of `hookmatrix bench`: at both ends, a count (what the program at the hook
// counted, or for a source's ceiling what the source got out), the frames the source sent, the
// monotonic clock, every CPU's busy time from /proc/stat, and the CPU time of the source's thread
// and of ksoftirqd on its CPU.
#include "core/error.h"
#include "matrix/results/throughput_result.h"
#include "runners/traffic/traffic_source.h"

#include <chrono>
#include <cstdint>
#include <functional>

namespace hm {

using Count = std::function<Result<std::uint64_t>()>;

// Sleeps through `length` between the readings. The source's thread runs on `cpu`, whose ksoftirqd
// is charged to the window's own CPU time with it (left 0 when either cannot be read).
Result<ThroughputWindow> measure_window(const Count& counted, const TrafficSource& source,
                                        int cpu, std::chrono::milliseconds length);

} // namespace hm
