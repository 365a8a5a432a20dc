#pragma once
// A kernel other than the running one: its cells run in a qemu guest that boots it with an
// initramfs carrying this same hookmatrix, which runs them exactly as `hookmatrix run` does on a
// host and sends its results.json back over a serial port. A guest that panics, hangs or says
// nothing turns the kernel's cells into errors with the console's tail.
#include "matrix/cell.h"
#include "matrix/results/result.h"
#include "runners/kernels/qemu_guest.h"
#include "runners/programs/user_program.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hm {

// What the guest's `hookmatrix run` is told besides its cells.
struct GuestRunOptions {
    // When set, the guest runs `hookmatrix bench` with these arguments (after its cells, output
    // and results port) instead of `run`, and its throughput results come back.
    std::optional<std::vector<std::string>> bench_args;
    std::optional<std::uint32_t> packets;          // --packets, when given on the host
    std::optional<std::uint32_t> reply_timeout_ms; // --reply-timeout, likewise
    bool choir = false;
    bool trace = false;
    UserObjects objects;
};

struct VmOptions {
    std::filesystem::path cache;  // kernel cache
    std::string modules_dir;      // --modules, for kernels given by path
    std::string accel = "auto";   // auto | kvm | tcg
    GuestMachine machine;         // accel is filled in from `accel`
    // Each guest's serial console is saved here as console-KERNEL.log; empty: not saved.
    std::filesystem::path console_dir;
};

struct GuestOutcome {
    KernelRun info;
    std::vector<CellResult> cells;
    std::vector<ChoirResult> choirs;
    std::vector<ThroughputResult> throughput;       // a bench guest's cells
    std::vector<ThroughputRatio> throughput_ratios; // and its xdpdrv / xdpgeneric ratios
};

// The spec the guest runs: exactly `cells`, with their settings (JSON, read as a spec file).
std::string guest_spec_json(const std::vector<Cell>& cells);

// Runs `cells` (all on the kernel `kernel` names) in a guest. Never fails as a whole: what goes
// wrong becomes the cells' error verdicts and info.error.
GuestOutcome run_in_guest(const KernelImage& kernel, const std::vector<Cell>& cells,
                          const GuestRunOptions& options, const VmOptions& vm,
                          const Progress& progress);

// The kernel's cells as errors, for a kernel that could not even be prepared.
GuestOutcome failed_kernel(const std::string& name, const std::vector<Cell>& cells,
                           const std::string& why, const std::string& detail = {});

} // namespace hm
