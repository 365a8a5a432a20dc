#pragma once
// The initramfs a guest boots: busybox, this very hookmatrix binary and the shared libraries it
// needs, iptables with its extensions, the kernel's modules the matrix needs (with what they
// depend on, loaded in order at start), and the job: the arguments of the `hookmatrix run` the
// guest executes. Its /init reboots when the run is done; qemu's -no-reboot makes that the end.
#include "core/error.h"
#include "runners/kernels/kernel_cache.h"

#include <filesystem>
#include <string>
#include <vector>

namespace hm {

struct GuestJob {
    std::string command = "run";       // the subcommand the guest runs: run or bench
    std::vector<std::string> run_args; // after "hookmatrix COMMAND"; paths inside the guest
    // Files the arguments name: path in the guest (absolute) and the host file it is a copy of.
    std::vector<std::pair<std::string, std::string>> files;
    std::vector<std::pair<std::string, std::string>> texts; // path in the guest, content
};

// Modules a matrix may need, by name. One the kernel lacks is left out: the guest's own feature
// probe then reports what it makes unsupported.
const std::vector<std::string>& guest_modules();

// The modules to load for `wanted`, dependencies first, as paths relative to `modules_dir`;
// built-in and unknown ones are left out. Reads modules.dep and modules.builtin.
Result<std::vector<std::string>> module_load_order(const std::filesystem::path& modules_dir,
                                                   const std::vector<std::string>& wanted);

// The guest's /init.
std::string guest_init_script();

// Writes the initramfs (an uncompressed cpio: under TCG, unpacking gzip costs seconds).
// `scratch`: a directory for intermediate files.
Status build_initramfs(const KernelImage& kernel, const GuestJob& job,
                       const std::filesystem::path& out, const std::filesystem::path& scratch);

// The serial port the guest writes its results to, and the frame around them.
inline constexpr const char* kGuestResultsPort = "/dev/ttyS1";
inline constexpr const char* kResultsBegin = "HOOKMATRIX-RESULTS-BEGIN";
inline constexpr const char* kResultsEnd = "HOOKMATRIX-RESULTS-END";
// /init prints this with the guest's uptime when it starts, and the exit code at the end.
inline constexpr const char* kGuestUp = "hookmatrix-guest: up";
inline constexpr const char* kGuestExit = "hookmatrix-guest: exit";

} // namespace hm
