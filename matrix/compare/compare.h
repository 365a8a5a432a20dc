#pragma once
// What changed between two sets of cells: per cell, the verdict change and the latency change with
// its size and significance. Pure: no kernel, no files; `hookmatrix diff` and reports format it.
//
// A latency change counts (as a regression or an improvement) only when it is significant
// (Mann-Whitney U on the per-packet samples, p < alpha), larger than the threshold (the
// Hodges-Lehmann shift, relative to the base median or in ns), and steady: every quarter of the
// new cell's packets (in send order) differs from every quarter of the base's by more than the
// threshold. Significance alone is not enough: with hundreds of packets per cell, U notices
// shifts of a few percent that come and go between two runs on the same machine. The size alone
// is not enough either: on a VM a cell's first few dozen packets can all be 30-40% slower (a
// burst of the host's own work), which moves its median but not all its quarters.
//
// Whole runs move too: on a quiet 2-vCPU VM, every cell of a run was 28-47% slower for minutes,
// and such a phase can begin or end in the middle of a run. With `relative_to_run`, each cell is
// judged against its neighbours: the base's samples are scaled by the median new/base p50 ratio
// of the 13 cells run around it (itself, 6 before, 6 after, in the new side's order), and the
// change counts only when the cell changed the same way in absolute terms too (a cell that stood
// still while its neighbours got faster did not regress). The run-wide shift (the median over
// all cells) is reported once, in Diff::run_shift. The price: a change shared by most of 13
// neighbouring cells (a whole hook family slower) is not attributed to them; --normalize none
// compares absolutely.
#include "core/error.h"
#include "matrix/results/result.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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
    bool relative_to_run = false;
    std::size_t min_cells_for_run = 8; // fewer cells with latency: nothing to judge against
};

// pass -> fail/error: Regression; fail/error -> pass: Fixed; unsupported -> pass: NewSupport;
// pass -> unsupported: LostSupport (a regression too); any other change: Changed.
enum class VerdictChange { Same, Regression, Fixed, NewSupport, LostSupport, Changed };
VerdictChange classify_verdicts(Verdict base, Verdict now);
std::string_view to_string(VerdictChange c); // "same", "regression", "fixed", "new-support", ...

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
    bool beyond_threshold = false; // |shift| and |steady shift| larger than the threshold
    LatencyTrend trend = LatencyTrend::Same;
};
// nullopt when either side has fewer than options.min_samples values. The base's samples are
// multiplied by base_scale first; with a base_scale other than 1, a trend counts only when the
// unscaled comparison finds the same one.
std::optional<LatencyChange> compare_latency(std::span<const std::uint64_t> base,
                                             std::span<const std::uint64_t> now,
                                             const CompareOptions& options,
                                             double base_scale = 1);

enum class Change { Unchanged, Regression, Improvement, Changed, Added, Removed };
std::string_view to_string(Change c); // "unchanged", "regression", ..., "added", "removed"

struct CellDiff {
    std::string hook, device;
    std::string base_kernel, new_kernel; // empty on the side the cell is missing from
    std::optional<Verdict> base_verdict, new_verdict;
    std::string base_reason, new_reason;
    VerdictChange verdict_change = VerdictChange::Same;
    std::optional<LatencyChange> latency; // when both sides have enough samples
    Change change = Change::Unchanged;
};

struct DiffSummary {
    std::size_t regressions = 0, improvements = 0, changed = 0, unchanged = 0, added = 0,
                removed = 0;
};

struct Diff {
    CompareOptions options;
    // true: cells matched by (hook, device, kernel); false: by (hook, device), across two kernels.
    bool by_kernel = true;
    std::vector<CellDiff> cells; // catalogue order; removed and added cells in their place
    DiffSummary summary;
    // The median new/base p50 ratio over the cells with latency on both sides (when there are
    // options.min_cells_for_run of them), and whether cells were judged against it.
    std::optional<double> run_shift;
    std::size_t run_shift_cells = 0;
    bool relative_to_run = false;
    bool has_regression() const { return summary.regressions > 0; }
};

// Errors (naming the sides as base_name and new_name): one side holds a cell twice; the two
// sides have no cell in common.
Result<Diff> compare_cells(std::span<const CellResult> base, std::span<const CellResult> now,
                           bool by_kernel, const CompareOptions& options,
                           std::string_view base_name = "base", std::string_view new_name = "new");

// The cells of `run` on kernel `release`; an Error listing the kernels it has when none is.
Result<std::vector<CellResult>> cells_on_kernel(const RunResult& run, const std::string& release);

// What was compared, for the headers: file names, and the kernels with --kernels.
struct DiffSides {
    std::string base_source, new_source;
    std::string base_kernel, new_kernel; // set when cells were matched across two kernels
};

} // namespace hm
