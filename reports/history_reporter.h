#pragma once
// `run --history-add DIR`: when the run ends, its results are filed into a history folder for
// the nights after it to be judged against (matrix/results/history_files.h), keeping the newest
// `keep` that hookmatrix filed there.
#include "reports/reporter.h"

#include <memory>
#include <string>

namespace hm {

std::unique_ptr<Reporter> make_history_reporter(std::string dir, std::size_t keep);

} // namespace hm
