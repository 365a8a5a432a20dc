#include "matrix/stats/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace hm {

LatencyStats summarize(std::span<const std::uint64_t> samples) {
    LatencyStats s;
    if (samples.empty())
        return s;
    std::vector<std::uint64_t> v(samples.begin(), samples.end());
    std::ranges::sort(v);
    auto rank = [&](double p) {
        auto r = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
        return v[std::clamp<std::size_t>(r, 1, v.size()) - 1];
    };
    s.samples = v.size();
    s.min = v.front();
    s.max = v.back();
    s.p50 = rank(50);
    s.p90 = rank(90);
    s.p99 = rank(99);
    s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    return s;
}

} // namespace hm
