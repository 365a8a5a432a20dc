#pragma once
// The "since" view of a run across kernels (matrix/compare/support_since.h): per device, hooks
// as rows and kernels in version order as columns, and for each hook the first kernel where it
// works, the last before it where it did not, and any later kernel that lost it. As Markdown (a
// section of compat.md) and as text (`hookmatrix report --since`).
#include "matrix/results/result.h"

#include <string>

namespace hm {

// Empty when the run has fewer than two kernels: there is no "since" to tell.
std::string since_markdown(const RunResult& result);

// For a terminal; says so in one line when the run has fewer than two kernels.
std::string since_text(const RunResult& result);

// A verdict in one character cell of the since view: "✅", "❌", "➖", "⚠️", "🔗".
std::string_view since_symbol(Verdict v);

} // namespace hm
