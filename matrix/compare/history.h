#pragma once
// Tonight judged against a history of nights, not against one of them. On a shared machine a
// cell's latency moves from night to night by its own amount, and one night can be odd; a
// regression is tonight standing out of the spread the cell's own history shows:
// - tonight is significantly slower than every night of the window (Mann-Whitney U on the
//   packets, against the neighbours as `diff` judges a pair), except one odd night when the
//   window holds five or more;
// - its shift from the window's typical night (the median of its shifts from every night) is
//   beyond the threshold, and tonight's median is above the typical night's in absolute terms
//   too (the quarters of `steady` are not asked for unless `steady_in_history`: with 6-10 rounds
//   a quarter's median moves by 8-13% alone, so they would hide a +20% change, and the spread
//   test below does their job);
// - and that shift is larger than `spread_factor` times the cell's night-to-night variation in
//   the window (the median shift between consecutive nights, against the neighbours or against
//   the whole run, whichever is smaller), so a cell that moves by 15% from night to night needs
//   far more than 10% to count, and neighbours that moved without it do not hide its change.
// A window of one night is today's `diff BASE NEW`, exactly.
// A change that began on an earlier night of the window and held since (every night from it on,
// tonight included, stands apart from every night before it, all the same way) is a change point:
// it was a regression or an improvement on the night it began, and tonight it is reported once
// more, with that night, as persisting, not as a new regression. Pure: no files, no kernel.
// How often this cries wolf, and how often it sees a known slowdown, on this project's machine:
// ci/operating-characteristics.py, figures in docs/benchmarks.md.
#include "core/error.h"
#include "matrix/compare/compare.h"
#include "matrix/results/result.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hm {

// The nights of a history a night is judged against, unless told otherwise.
inline constexpr std::size_t kHistoryNights = 7;

// One night: its results and a name for it (its file).
struct Night {
    std::string name;
    const RunResult* run = nullptr;
};

struct HistoryOptions {
    CompareOptions compare;
    // How many times the cell's median night-to-night shift tonight must move.
    double spread_factor = 3;
    // With this many nights or more, one of them may disagree (an odd night of the history).
    std::size_t odd_night_from = 5;
    // With two nights or more: compare.steady for every pair (with one, compare.steady holds).
    bool steady_in_history = false;
};

// Judges `tonight` against `window` (oldest night first, at least one). The Diff is tonight
// against the newest night for verdicts and added or removed cells; each cell's latency is judged
// by the rules above, its `latency` is the comparison with the night tonight is closest to, and
// its `history` says how it was judged. Errors as compare_cells's, when no night shares a cell
// with tonight.
Result<Diff> compare_with_history(std::span<const Night> window, const Night& tonight,
                                  const HistoryOptions& options);

} // namespace hm
