#pragma once
// A run compared with what came before it (`run --baseline`, `run --history`, `report
// --baseline`): exactly what `hookmatrix diff BASE.json NEW.json` (or `diff --history DIR`)
// computes, kept with the names of both sides so the HTML and Markdown reports can show "what
// changed" beside the run itself.
#include "core/error.h"
#include "matrix/compare/compare.h"
#include "matrix/compare/history.h"
#include "matrix/results/history_files.h"

#include <string>
#include <vector>

namespace hm {

// What a run is compared with: one earlier run (--baseline BASE.json, a window of one night) or
// the newest nights of a history folder (--history DIR), and how (diff's --threshold, --alpha).
struct Baseline {
    std::string source;           // the file, or the history folder
    std::vector<SavedRun> nights; // oldest first; at least one
    HistoryOptions options;
};

struct BaselineComparison {
    Diff diff;
    DiffSides sides;
};

// Cells matched by hook, device and kernel, as `hookmatrix diff` does without --kernels; each
// cell judged against the baseline's nights (matrix/compare/history.h; one night: as diff
// judges two files). The errors are diff's: a side that holds a cell twice, or no cell in
// common (a baseline from another kernel; compare those with `hookmatrix diff --kernels`).
Result<BaselineComparison> compare_with_baseline(const Baseline& base, const RunResult& now,
                                                 const std::string& new_source);

// The same against one earlier run.
Result<BaselineComparison>
compare_with_baseline(const RunResult& base, const std::string& base_source, const RunResult& now,
                      const std::string& new_source, const CompareOptions& options);

} // namespace hm
