#pragma once
// `hookmatrix merge`: shards of one matrix, or runs from different machines and kernels, joined
// into one run. Pure: the inputs are read and the output written by the command.
#include "core/error.h"
#include "matrix/results/result.h"

#include <string>
#include <vector>

namespace hm {

struct MergeInput {
    std::string source; // the file it came from, for errors
    RunResult run;
};

// The merged run:
// - cells: all of them, in catalogue order (hook, then device, then kernel);
// - choirs: all of them, in device catalogue order, then kernel;
// - run.started: the earliest; run.duration_s: the sum of the inputs' (the time spent running
//   cells, which for shards on parallel jobs is more than the wall time);
// - run.host, run.kernel, tool and libbpf versions: the first input's; run.hosts and run.kernels
//   list every distinct host and kernel, in input order, when there is more than one;
// - run.packets_per_cell: the inputs' when they agree, else the largest;
// - run.command: `command`; run.shard: empty.
// A cell (hook, device, kernel) or a choir (device, kernel) in two inputs, or twice in one, is an
// Error naming the files and the cell.
Result<RunResult> merge_runs(const std::vector<MergeInput>& inputs, const std::string& command);

} // namespace hm
