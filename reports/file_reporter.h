#pragma once
// The body every file a run leaves behind shares: the whole run rendered once, when it ends, and
// written atomically (a reader never sees half a file), with the baseline comparison when the
// run has one. Each format is then only its render function.
#include "reports/reporter.h"

#include <functional>
#include <memory>
#include <string>

namespace hm {

using Render = std::function<std::string(const RunResult&, const BaselineComparison*)>;

std::unique_ptr<Reporter> make_file_reporter(std::string path, Render render);

} // namespace hm
