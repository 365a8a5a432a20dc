#pragma once
// What changed between two sets of cells: per cell, the verdict change and the latency change
// (latency_change.h: when a change in one cell's latency counts). Pure: no kernel, no files;
// `hookmatrix diff` and reports format it.
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
#include "matrix/compare/latency_change.h"
#include "matrix/results/result.h"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hm {

// With relative_to_run, a cell is judged against the cells run just before and after it: this
// many on each side (runners/remeasure.h measures them again with it).
inline constexpr std::size_t kRunNeighbours = 6;

// pass -> fail/error: Regression; fail/error -> pass: Fixed; unsupported -> pass: NewSupport;
// pass -> unsupported: LostSupport (a regression too); any other change: Changed.
enum class VerdictChange { Same, Regression, Fixed, NewSupport, LostSupport, Changed };
VerdictChange classify_verdicts(Verdict base, Verdict now);
std::string_view to_string(VerdictChange c); // "same", "regression", "fixed", "new-support", ...

// Expected: the verdict changed into the one --expect knows for the new side's cell (a known
// failure on that kernel), which is no regression.
enum class Change { Unchanged, Regression, Improvement, Changed, Added, Removed, Expected };
std::string_view to_string(Change c); // "unchanged", "regression", ..., "removed", "expected"

// How a cell was judged against a history of nights (matrix/compare/history.h).
struct CellHistory {
    std::size_t nights = 0;      // nights of the window with this cell and enough samples
    // Nights tonight is significantly slower (faster) than: Mann-Whitney U on the packets,
    // p < alpha, against the neighbours as diff judges a pair, of any size.
    std::size_t slower_than = 0;
    std::size_t faster_than = 0;
    double shift = 0; // tonight against the window's typical night: the median relative shift
    // The cell's night-to-night variation in the window: the median |relative shift| between
    // consecutive nights, judged against the neighbours (spread_neighbours) and against the
    // whole run's shift (spread_run, when every pair was judged against neighbours); `spread`,
    // the one the rule uses, is the smaller of the two.
    double spread = 0;
    double spread_neighbours = 0;
    std::optional<double> spread_run;
    // A change that began on an earlier night of the window and held since: the night's name,
    // and which way it went.
    std::string since;
    LatencyTrend since_trend = LatencyTrend::Same;
};

struct CellDiff {
    std::string hook, device;
    std::string base_kernel, new_kernel; // empty on the side the cell is missing from
    std::optional<Verdict> base_verdict, new_verdict;
    std::string base_reason, new_reason;
    // --expect's mark on the new side's cell (its outcome: new_expected->outcome_for(new_verdict)).
    std::optional<CellResult::Expected> new_expected;
    VerdictChange verdict_change = VerdictChange::Same;
    std::optional<LatencyChange> latency; // when both sides have enough samples
    std::optional<CellHistory> history;   // when judged against a history of nights
    Change change = Change::Unchanged;
};

struct DiffSummary {
    std::size_t regressions = 0, improvements = 0, changed = 0, unchanged = 0, added = 0,
                removed = 0, expected = 0;
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
    // Judged against a history: its nights, oldest first (empty: against one base).
    std::vector<std::string> history;
    bool has_regression() const { return summary.regressions > 0; }
};

// Errors (naming the sides as base_name and new_name): one side holds a cell twice; the two
// sides have no cell in common.
Result<Diff> compare_cells(std::span<const CellResult> base, std::span<const CellResult> now,
                           bool by_kernel, const CompareOptions& options,
                           std::string_view base_name = "base", std::string_view new_name = "new");

// The cells of `run` on kernel `release`; an Error listing the kernels it has when none is.
// What a cell's verdict and latency changes add up to: a regression, an improvement, ...
Change overall_change(const CellDiff& d);
// The counts of diff.cells' changes.
DiffSummary count_changes(std::span<const CellDiff> cells);

Result<std::vector<CellResult>> cells_on_kernel(const RunResult& run, const std::string& release);

// What was compared, for the headers: file names, and the kernels with --kernels.
struct DiffSides {
    std::string base_source, new_source;
    std::string base_kernel, new_kernel; // set when cells were matched across two kernels
};

} // namespace hm
