#pragma once
// `hookmatrix run` below the command line: the run's cells on this kernel (in rounds, measured
// again against a baseline), the choirs, then every other kernel's cells in guests, compared with
// the baseline and handed to the reporters as they come. The CLI validates everything and makes
// the process's side effects (root mode, the CPU pin, the output directory) before it calls
// run_matrix(); the run writes nothing to the terminal itself: its progress goes to the
// reporters as notes.
#include "core/cpu_pin.h"
#include "core/error.h"
#include "matrix/cell.h"
#include "matrix/compare/baseline.h"
#include "matrix/results/expectations.h"
#include "matrix/results/result.h"
#include "matrix/shard.h"
#include "reports/reporter.h"
#include "runners/programs/user_program.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace hm {

// How kernels other than the running one are booted (runners/kernels/).
struct GuestSettings {
    std::filesystem::path kernel_cache;
    std::string modules_dir;    // for kernels given by path
    std::string accel = "auto"; // auto | kvm | tcg
    std::chrono::seconds timeout{900};
    unsigned jobs = 1;                 // guests at a time
    std::filesystem::path console_dir; // each guest's console log is kept here
};

struct RunRequest {
    std::vector<Cell> cells;   // what runs: the plan, sliced by --shard
    std::vector<Cell> planned; // every shard's cells: choirs are sliced by device
    std::optional<Shard> shard;
    // The command line's --packets and --reply-timeout, already applied to `cells`; guests are
    // told them too.
    std::optional<std::uint32_t> packets, reply_timeout_ms;
    unsigned rounds = 1; // passes over the host's passing cells, joined into one cell
    bool choir = false;
    UserObjects objects;
    bool trace = false;
    std::optional<Baseline> baseline;
    // --expect: each cell is marked with its known outcome as it comes, before the reporters see
    // it, so even the progress line says "expected fail".
    std::optional<Expectations> expect;
    std::string results_path; // names the run's side in the comparison with the baseline
    GuestSettings guests;
    RunInfo info; // the caller's description of the run: versions, host, command line, CPU
    std::vector<std::string> notes; // the caller's, said to the reporters as the run begins
    // Held while the host's cells run, released before guests start so they get every CPU.
    std::optional<CpuPin> pin;
};

struct RunOutcome {
    RunResult result;
    std::size_t planned_cells = 0;
    std::optional<BaselineComparison> comparison;
    std::optional<Error> incomparable; // the baseline could not be compared with the run
    Status written;                    // what the reporters' end() said
    bool interrupted = false;

    bool regressed() const { return comparison && comparison->diff.has_regression(); }
    bool ok() const; // every cell pass, unsupported or attached, and every choir ok
};

// Runs `request`. `stop` (SIGINT, SIGTERM) ends the run after the cell in progress; what ran is
// still reported.
RunOutcome run_matrix(RunRequest request, Reporter& reporters, const std::atomic<bool>& stop);

} // namespace hm
