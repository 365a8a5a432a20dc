#pragma once
// CPU time per CPU from /proc/stat, for utilisation over a window: take a snapshot before and
// after, and busy_share() says how much of the window each CPU spent not idle. Counting softirq
// time as busy matters here: most of a packet's cost on veth and lo is paid in NET_RX softirq.
#include "core/error.h"

#include <cstdint>
#include <vector>

namespace hm {

struct CpuTimes {
    std::uint64_t busy = 0;  // user+nice+system+irq+softirq+steal, in USER_HZ ticks
    std::uint64_t total = 0; // busy plus idle and iowait
};

// Index = CPU number; a CPU missing from /proc/stat (offline) reads as zeros.
Result<std::vector<CpuTimes>> read_cpu_times();

// Per CPU, busy ticks over all ticks between the two snapshots (0 when no tick passed).
std::vector<double> busy_share(const std::vector<CpuTimes>& before,
                               const std::vector<CpuTimes>& after);

} // namespace hm
