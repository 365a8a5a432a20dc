#pragma once
// A history of nights on disk, for `diff --history` and `run --history`: a folder of earlier
// results.json files, any names (each *.json in the folder, and results.json in each sub-folder),
// ordered by when each run started, not by name. `--history-add` files a run into such a folder
// under a name of its own (hookmatrix-<UTC start>-<host>.json) and keeps the newest K of those;
// files it did not write are never removed.
#include "core/error.h"
#include "matrix/results/result.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace hm {

// How many runs `--history-add` keeps in a history folder, unless told otherwise.
inline constexpr std::size_t kHistoryKeep = 30;

struct SavedRun {
    std::string path;
    RunResult run;
};

// The newest `nights` runs in `dir`, oldest first; none when `dir` does not exist yet. With
// `tonight`, only runs that started no later than it, and not tonight itself (a copy filed with
// --history-add: the same start, host and duration). Runs that started in the same second keep
// the order of their file names. A file that is not a hookmatrix results.json is an Error naming
// it.
Result<std::vector<SavedRun>> load_history(const std::filesystem::path& dir, std::size_t nights,
                                           const RunResult* tonight = nullptr);

// Writes `run` into `dir` (made when missing) and removes the oldest files hookmatrix filed
// there beyond `keep`. Returns the path written.
Result<std::string> add_to_history(const std::filesystem::path& dir, const RunResult& run,
                                   std::size_t keep);

} // namespace hm
