#pragma once
// Tonight judged against a history of nights, not against one of them. On a shared machine a
// cell's latency moves from night to night by its own amount, and one night can be odd; a
// regression is tonight standing out of the spread the cell's own history shows:
// - tonight is slower than every night of the window (each pair judged as `diff` judges two runs:
//   significant, beyond the threshold, steady in every quarter, against the neighbours), except
//   one odd night when the window holds five or more;
// - and its smallest such shift is larger than the cell's night-to-night variation in the window
//   (`spread_factor` times the median shift between consecutive nights).
// A window of one night is today's `diff BASE NEW`, exactly.
// A change that began on an earlier night of the window and held since (every night from it on,
// tonight included, stands apart from every night before it, all the same way) is a change point:
// it was a regression or an improvement on the night it began, and tonight it is reported once
// more, with that night, as persisting, not as a new regression. Pure: no files, no kernel.
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
    // How far tonight must stand beyond the cell's median night-to-night shift.
    double spread_factor = 1.5;
    // With this many nights or more, one of them may disagree (an odd night of the history).
    std::size_t odd_night_from = 5;
};

// Judges `tonight` against `window` (oldest night first, at least one). The Diff is tonight
// against the newest night for verdicts and added or removed cells; each cell's latency is judged
// by the rules above, its `latency` is the comparison with the night tonight is closest to, and
// its `history` says how it was judged. Errors as compare_cells's, when no night shares a cell
// with tonight.
Result<Diff> compare_with_history(std::span<const Night> window, const Night& tonight,
                                  const HistoryOptions& options);

} // namespace hm
