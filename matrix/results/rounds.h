#pragma once
// run --rounds N: every passing cell is measured again in N-1 later passes over the matrix, each
// on a fresh topology, and its rounds are joined into one cell. On shared VMs a whole cell now and
// then runs in a fast or a slow state of the machine (seen: +35-50% for one cell in 3 of 20 pairs
// of identical runs). One round cannot tell that state from the cell's own speed; with two rounds
// in both runs, diff's steady test (every quarter against every quarter, matrix/compare/compare.h)
// sees a state that only one round had.
#include "matrix/results/result.h"

namespace hm {

// Joins a later round into `cell`: samples and packet counts add up (in send order, `cell`'s
// first), latency is summarized again. A round that did not pass makes the cell that round's
// result, with "round K: " before its reason.
void join_round(CellResult& cell, CellResult round, unsigned round_number);

} // namespace hm
