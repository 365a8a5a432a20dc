#pragma once
// report.html's "Changes since baseline" section: the cells `hookmatrix diff` would list, with
// their verdicts then and now, medians, the latency shift with its p-value, and why each counts.
// The section carries data-changes and data-regressions, and the page's script counts its rows
// into the body's data-baseline-rows, which the headless Chromium test reads.
#include "matrix/compare/baseline.h"

#include <string>

namespace hm {

std::string html_changes_section(const BaselineComparison& comparison);

} // namespace hm
