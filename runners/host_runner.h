#pragma once
// Runs cells and choirs on the running kernel. A cell: the hook's kernel support checked, a rig
// (runners/cell_rig.h) built for its device, the probe (or the user's program) attached at the
// hook, real echo requests across it, and a verdict. A choir: every selected hook that fits one
// device attached at once on one rig, and the order they fire in. Everything a cell or a choir
// creates is owned by its rig, so it is gone when the call returns, on every path.
#include "matrix/cell.h"
#include "matrix/features.h"
#include "matrix/results/result.h"
#include "runners/choir_order.h"
#include "runners/user_programs.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hm {

class CellRig;

struct HostRunnerOptions {
    // For cells whose settings leave them open (matrix/cell.h has the defaults).
    std::uint32_t packets = kDefaultPackets;
    std::chrono::milliseconds reply_timeout{kDefaultReplyTimeoutMs};
    UserObjects objects; // users' own programs instead of the probe, by hook
    // Judge users' programs by their bpf_trace_printk lines instead of the run counter.
    bool trace = false;
    // Set by SIGINT/SIGTERM: a cell stops sending and is reported as stopped, not judged.
    const std::atomic<bool>* stop = nullptr;
};

class HostRunner {
public:
    HostRunner(KernelFeatures& features, HostRunnerOptions options);
    CellResult run_cell(const Cell& cell);
    // Every hook that fits `device` attached at once (runners/choir.cpp); `packets` echo
    // requests from near, so egress hooks see each request and ingress hooks its reply.
    // `hooks`: the hooks to choose from (the run's selection); empty: every hook.
    ChoirResult run_choir(const DeviceSpec& device, std::uint32_t packets,
                          std::chrono::milliseconds reply_timeout,
                          std::vector<const HookSpec*> hooks = {});
    const std::string& kernel_release() const { return release_; }

    struct Singer; // a hook of a choir, with its program at the hook (runners/choir.cpp)

private:
    // The cell after its support was checked: everything that needs the rig.
    CellResult measure(const Cell& cell, CellResult r);
    // The probe (hook id `hook_id`, writing into the table `events_fd`) or the user's program.
    Result<std::unique_ptr<Program>> load(const HookSpec& hook, std::uint16_t hook_id,
                                          int events_fd);
    // The choir's hooks loaded and attached on its rig, each with the next hook id; a hook that
    // cannot be is in c.voices with its verdict and sings no further.
    std::vector<Singer> mount_singers(CellRig& rig, std::span<const HookSpec* const> chosen,
                                      ChoirResult& c);
    // --trace with users' programs in the choir: the order of their lines, and each line as a
    // firing of the hook that printed it; nullopt otherwise.
    struct HeardTrace {
        TraceOrder lines;
        std::vector<Firing> firings;
    };
    Result<std::optional<HeardTrace>> heard_trace(std::span<const Singer> singers,
                                                  std::span<const std::uint64_t> send_ns);

    KernelFeatures& features_;
    HostRunnerOptions options_;
    UserPrograms users_;
    std::string release_;
    // Every echo request of this process carries it, and probes record only packets with it,
    // so the namespaces' other traffic (and other hookmatrix runs) never counts.
    std::uint32_t echo_magic_;
};

std::string running_kernel_release();

} // namespace hm
