#pragma once
// What changed in bench figures between two runs, per (hook, device, source[, kernel]): the
// median packets per second and whether the change counts. Sources are never compared with each
// other: an XDP-frame cell and an skb cell of the same hook measure different paths.
//
// A run measures each cell in K windows. A change counts when the medians differ by more than the
// threshold AND the two sets of windows do not overlap at all (every new window slower than every
// base window, or every one faster). Under "nothing changed" every ordering of the n+m windows is
// equally likely, so complete separation in the observed direction or the other happens with
// probability 2 / C(n+m, n): the exact two-sided p of the Mann-Whitney U test at U = 0. With 5
// windows a side that is 0.008, below the default alpha of 0.01; with 3 a side it is 0.1, so
// runs with few windows can never show a significant change, and the diff says so.
#include "matrix/compare/compare.h"
#include "matrix/results/throughput_result.h"

#include <span>
#include <string>
#include <vector>

namespace hm {

struct ThroughputChange {
    std::string hook, device;
    std::string source = "skb"; // the traffic source both sides used
    std::string base_kernel, new_kernel;
    std::size_t base_windows = 0, new_windows = 0;
    double base_pps = 0, new_pps = 0; // medians
    double relative = 0;              // new_pps / base_pps - 1
    double p = 1;                     // 2 / C(n+m, n) when separated, else 1
    bool separated = false;
    Change change = Change::Unchanged; // Regression: slower; Improvement: faster; Added, Removed
    std::string note;                  // why it was not compared, when it was not
};

struct ThroughputDiff {
    std::vector<ThroughputChange> changes;
    std::size_t regressions = 0, improvements = 0;
};

// Matches entries by (hook, device, source, kernel) when by_kernel, else by (hook, device,
// source). A threshold
// in time units does not apply to a rate; then 10% is used and the note of each entry says so.
ThroughputDiff compare_throughput(std::span<const ThroughputResult> base,
                                  std::span<const ThroughputResult> now, bool by_kernel,
                                  const CompareOptions& options);

// 2 / C(n+m, n), the two-sided p of complete separation; 1 when either side is empty.
double separation_p(std::size_t n, std::size_t m);

} // namespace hm
