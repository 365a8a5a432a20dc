#pragma once
// Latency statistics over per-packet samples (hook time minus send time, ns).
#include <cstdint>
#include <span>

namespace hm {

struct LatencyStats {
    std::uint64_t samples = 0;
    std::uint64_t min = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
    double mean = 0;
};

// Nearest-rank percentiles: every reported value is one that was measured.
LatencyStats summarize(std::span<const std::uint64_t> samples);

} // namespace hm
