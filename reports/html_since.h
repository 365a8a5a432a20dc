#pragma once
// report.html's since view (matrix/compare/support_since.h): one table per device, hooks x
// kernels in version order with the since column, and a select that shows one device at a time.
// The page stays one offline file: the switch is a few lines of the template's script.
#include "matrix/results/result.h"

#include <string>

namespace hm {

// Empty when the run has fewer than two kernels.
std::string html_since_section(const RunResult& result);

} // namespace hm
