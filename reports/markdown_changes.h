#pragma once
// compat.md with a baseline: only the cells that changed since it (a verdict change, or a latency
// change that is both significant and over the threshold, as `hookmatrix diff` decides), each
// with its verdict then and now, a legend, and footnotes with the reasons. A pull request comment
// then says what the change did, not the whole matrix again.
#include "matrix/compare/baseline.h"

#include <string>

namespace hm {

std::string markdown_changes(const RunResult& result, const BaselineComparison& comparison);

} // namespace hm
