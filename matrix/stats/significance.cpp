#include "matrix/stats/significance.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace hm {

namespace {
std::vector<std::int64_t> sorted(std::span<const std::uint64_t> v) {
    std::vector<std::int64_t> out(v.begin(), v.end());
    std::ranges::sort(out);
    return out;
}

// How many differences y_j - x_i are <= d; x and y sorted ascending. As y_j grows, the first x_i
// with x_i >= y_j - d only moves right, so one pass suffices.
std::uint64_t differences_at_most(const std::vector<std::int64_t>& x,
                                  const std::vector<std::int64_t>& y, std::int64_t d) {
    std::uint64_t count = 0;
    std::size_t i = 0;
    for (std::int64_t yj : y) {
        while (i < x.size() && x[i] < yj - d)
            ++i;
        count += x.size() - i;
    }
    return count;
}

// The k-th smallest (0-based) of the differences y_j - x_i: the least d with more than k
// differences at or below it, found by bisection over the whole range of differences.
std::int64_t kth_difference(const std::vector<std::int64_t>& x,
                            const std::vector<std::int64_t>& y, std::uint64_t k) {
    std::int64_t lo = y.front() - x.back(), hi = y.back() - x.front();
    while (lo < hi) {
        std::int64_t mid = lo + (hi - lo) / 2; // hi - lo < 2^63 for values below 2^62
        if (differences_at_most(x, y, mid) > k)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
} // namespace

RankTest mann_whitney_u(std::span<const std::uint64_t> xs, std::span<const std::uint64_t> ys) {
    RankTest t;
    if (xs.empty() || ys.empty())
        return t;
    const double n = static_cast<double>(xs.size()), m = static_cast<double>(ys.size());
    // Rank the pooled values; tied values share the mean of the ranks they span.
    struct Item {
        std::uint64_t value;
        bool from_y;
    };
    std::vector<Item> pooled;
    pooled.reserve(xs.size() + ys.size());
    for (auto v : xs)
        pooled.push_back({v, false});
    for (auto v : ys)
        pooled.push_back({v, true});
    std::ranges::sort(pooled, {}, &Item::value);
    double rank_sum_y = 0, ties = 0; // ties: sum of t^3 - t over groups of t equal values
    for (std::size_t i = 0; i < pooled.size();) {
        std::size_t j = i;
        std::size_t in_y = 0;
        while (j < pooled.size() && pooled[j].value == pooled[i].value)
            in_y += pooled[j++].from_y;
        const double group = static_cast<double>(j - i);
        const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
        rank_sum_y += mid_rank * static_cast<double>(in_y);
        ties += group * group * group - group;
        i = j;
    }
    t.u = rank_sum_y - m * (m + 1) / 2;
    const double total = n + m;
    const double mean = n * m / 2;
    const double variance = n * m / 12 * ((total + 1) - ties / (total * (total - 1)));
    if (variance <= 0) // every value the same: nothing to tell the sets apart
        return t;
    const double distance = std::max(0.0, std::abs(t.u - mean) - 0.5);
    t.z = std::copysign(distance / std::sqrt(variance), t.u - mean);
    t.p = std::min(1.0, std::erfc(std::abs(t.z) / std::sqrt(2.0)));
    return t;
}

double hodges_lehmann_shift(std::span<const std::uint64_t> xs, std::span<const std::uint64_t> ys) {
    if (xs.empty() || ys.empty())
        return 0;
    const auto x = sorted(xs), y = sorted(ys);
    const std::uint64_t pairs = static_cast<std::uint64_t>(x.size()) * y.size();
    if (pairs % 2 == 1)
        return static_cast<double>(kth_difference(x, y, pairs / 2));
    return (static_cast<double>(kth_difference(x, y, pairs / 2 - 1)) +
            static_cast<double>(kth_difference(x, y, pairs / 2))) /
           2;
}

} // namespace hm
