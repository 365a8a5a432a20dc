#pragma once
// Whether one cell's latency changed between two runs, from the per-packet samples of each: the
// size of the change and its significance. Pure: no kernel, no files.
//
// A latency change counts (as a regression or an improvement) only when it is significant
// (Mann-Whitney U on the per-packet samples, p < alpha), larger than the threshold (the
// Hodges-Lehmann shift, relative to the base median or in ns), and steady: every quarter of the
// new cell's packets (in send order) differs from every quarter of the base's by more than the
// threshold. Significance alone is not enough: with hundreds of packets per cell, U notices
// shifts of a few percent that come and go between two runs on the same machine. The size alone
// is not enough either: on a VM a cell's first few dozen packets can all be 30-40% slower (a
// burst of the host's own work), which moves its median but not all its quarters.
#include "core/error.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hm {

// How large a latency change must be to count: a share of the base median, or nanoseconds.
struct Threshold {
    enum class Unit { Percent, Nanoseconds };
    Unit unit = Unit::Percent;
    double value = 10;
    std::string text() const; // "10%", "500ns"
};
// "10%", "2.5%", "500ns", "1.5us", "1ms"; a value below zero or without a unit is an Error.
Result<Threshold> parse_threshold(std::string_view text);

struct CompareOptions {
    Threshold threshold{};
    double alpha = 0.01;          // significance level of the two-sided test
    std::size_t min_samples = 8;  // fewer values on either side: latency is not compared
    bool relative_to_run = false; // judge each cell against its neighbours (compare.h)
    // Every quarter of the packets must differ beyond the threshold too, not only the whole.
    bool steady = true;
    std::size_t min_cells_for_run = 8; // fewer cells with latency: nothing to judge against
};

enum class LatencyTrend { Same, Slower, Faster }; // Slower/Faster: significant and over threshold
std::string_view to_string(LatencyTrend t);        // "same", "slower", "faster"

struct LatencyChange {
    std::size_t base_samples = 0, new_samples = 0;
    std::uint64_t base_p50 = 0, new_p50 = 0;
    double ratio = 1;              // new_p50 / base_p50
    double shift_ns = 0;           // Hodges-Lehmann estimate of new minus base
    double shift_relative = 0;     // shift_ns / base_p50
    // The change all quarters agree on: the smallest new-quarter median over the largest
    // base-quarter median, minus 1, when that is above 0 (slower); the largest over the smallest
    // when below (faster); else 0. Medians of the base scaled by base_scale.
    double steady_shift_relative = 0;
    double base_scale = 1;         // the neighbours' shift the base was scaled by (relative_to_run)
    LatencyTrend absolute_trend = LatencyTrend::Same; // the verdict with base_scale 1
    double u = 0, z = 0, p = 1;    // Mann-Whitney U of new against base
    bool significant = false;      // p < alpha
    bool beyond_threshold = false; // |shift| (and, when steady, |steady shift|) over threshold
    LatencyTrend trend = LatencyTrend::Same;
};
// nullopt when either side has fewer than options.min_samples values. The base's samples are
// multiplied by base_scale first; with a base_scale other than 1, a trend counts only when the
// unscaled comparison finds the same one.
std::optional<LatencyChange> compare_latency(std::span<const std::uint64_t> base,
                                             std::span<const std::uint64_t> now,
                                             const CompareOptions& options,
                                             double base_scale = 1);

} // namespace hm
