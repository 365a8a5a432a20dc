#pragma once
// A nightly run compared with its baseline or its history: a cell whose latency regressed is
// measured again before it is called a regression. On shared VMs a cell now and then runs all
// its packets in a slow state of the machine (seen: one cell of 57 at +105%, every packet of it,
// in 1 of 10 pairs of identical runs). A real regression reproduces; that does not. Of the
// measurements (the first and `attempts` more) the median by shift decides and is kept, so one
// measurement in an odd state of the machine decides nothing, either way: keeping the first that
// did not regress threw 6 of 10 real +20% regressions away beside a compile job, each for one
// low measurement (docs/benchmarks.md, Dec 7). The cell says so in its reason and its
// `remeasured` count. Each measurement again has the run's rounds, and is made together with the
// cells run around the cell (those it is judged against, compare.h), round by round, so that the
// machine's state of the moment is taken out of it as it was of the first.
#include "matrix/cell.h"
#include "matrix/compare/baseline.h"
#include "matrix/results/result.h"
#include "runners/host_runner.h"

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace hm {

struct RemeasureOptions {
    int attempts = 2; // extra measurements per regressed cell
    // Rounds of each extra measurement: the run's own `--rounds`, so that a measurement again is
    // as precise as the first (one round of a 40-round night, kept when it did not regress, threw
    // the night's precision away: docs/benchmarks.md, Dec 3).
    unsigned rounds = 1;
};

// Which of a cell's measurements decides (and is kept): the median by shift, the lower of the two
// middle ones when their count is even. `shifts[0]` is the first measurement's.
std::size_t deciding_measurement(std::span<const double> shifts);

// Which cells are measured again with the `regressed` ones: each with the kRunNeighbours passing
// cells before and after it (the window kept whole at either end of the run, as compare.h judges
// it), in run order. `passing[i]`: whether cell i of the run passed.
std::vector<std::size_t> measured_together(const std::vector<bool>& passing,
                                           std::span<const std::size_t> regressed);

// `cells[i]` is the plan's cell that produced `results[i]` (host cells only); `run` holds the
// whole run (its cells beginning with `results`), judged against `baseline` each time a cell is
// measured again. Changes `results` in place; `say` gets a line per cell measured again.
void remeasure_regressions(HostRunner& runner, std::span<const Cell* const> cells,
                           std::span<CellResult> results, const RunResult& run,
                           const Baseline& baseline, const RemeasureOptions& options,
                           const std::function<void(const std::string&)>& say);

} // namespace hm
