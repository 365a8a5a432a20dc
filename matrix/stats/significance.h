#pragma once
// Rank statistics for comparing two sets of per-packet latencies: the Mann-Whitney U test (is one
// set shifted against the other?) and the Hodges-Lehmann estimate of that shift (by how much?).
// Both use ranks only, so a few slow packets (a page fault, a timer tick) move neither.
#include <cstdint>
#include <span>

namespace hm {

struct RankTest {
    double u = 0; // pairs (x, y) with y > x, a tie counting one half: 0 .. n*m
    double z = 0; // standardised U, with tie and continuity corrections; > 0 when y is larger
    double p = 1; // two-sided p-value from the normal approximation
};

// Mann-Whitney U of `y` against `x`, normal approximation with the tie correction of the variance
// and a continuity correction of 0.5 (the "asymptotic" method of scipy.stats.mannwhitneyu).
// Identical sets, or an empty one, give p = 1. Good from about 8 values per side.
RankTest mann_whitney_u(std::span<const std::uint64_t> x, std::span<const std::uint64_t> y);

// The Hodges-Lehmann shift: the median of all n*m differences y_j - x_i, computed exactly without
// building them (a count of differences at or below a value takes one pass over the sorted sets).
// 0 when either set is empty. Values must stay below 2^62 ns (146 years).
double hodges_lehmann_shift(std::span<const std::uint64_t> x, std::span<const std::uint64_t> y);

} // namespace hm
