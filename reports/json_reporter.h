#pragma once
// results.json as a reporter: the run's results (matrix/results/results_json.h) written
// atomically when the run ends.
#include "reports/reporter.h"

#include <memory>
#include <string>

namespace hm {

std::unique_ptr<Reporter> make_json_reporter(std::string path);

} // namespace hm
