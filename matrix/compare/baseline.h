#pragma once
// A run compared with a baseline (`run --baseline`, `report --baseline`): exactly what
// `hookmatrix diff BASE.json NEW.json` computes, kept with the names of both sides so the HTML
// and Markdown reports can show "what changed" beside the run itself.
#include "core/error.h"
#include "matrix/compare/compare.h"

#include <string>

namespace hm {

// `run --baseline BASE.json` and `report --baseline`: the earlier run, where it came from, and how
// to compare with it (diff's --threshold and --alpha).
struct Baseline {
    std::string source;
    RunResult run;
    CompareOptions options;
};

struct BaselineComparison {
    Diff diff;
    DiffSides sides;
};

// Cells matched by hook, device and kernel, as `hookmatrix diff` does without --kernels. The
// errors are diff's: a side that holds a cell twice, or no cell in common (a baseline from
// another kernel; compare those with `hookmatrix diff --kernels`).
Result<BaselineComparison>
compare_with_baseline(const RunResult& base, const std::string& base_source, const RunResult& now,
                      const std::string& new_source, const CompareOptions& options);

} // namespace hm
