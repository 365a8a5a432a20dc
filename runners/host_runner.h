#pragma once
// Runs cells on the running kernel: for each, a fresh topology, the probe loaded and attached at
// the hook, real echo requests, and a verdict. Everything a cell creates is owned by objects local
// to run_cell(), so it is gone when run_cell() returns, on every path.
#include "core/bpf_stats.h"
#include "core/trace_instance.h"
#include "core/trace_printk_event.h"
#include "matrix/cell.h"
#include "matrix/features.h"
#include "matrix/results/result.h"
#include "runners/programs/user_program.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace hm {

struct RunOptions {
    std::uint32_t packets = 100;
    std::chrono::milliseconds reply_timeout{1000};
    // Users' own programs, by hook name; "*" for every hook without one of its own.
    std::map<std::string, UserObject> objects;
    // Judge users' programs by their bpf_trace_printk lines instead of the run counter.
    bool trace = false;
};

class HostRunner {
public:
    HostRunner(KernelFeatures& features, RunOptions options);
    CellResult run_cell(const Cell& cell);
    // Every hook that fits `device` attached at once (runners/choir.cpp); `packets` echo
    // requests from near, so egress hooks see each request and ingress hooks its reply.
    // `hooks`: the hooks to choose from (the run's selection); empty: every hook.
    ChoirResult run_choir(const DeviceSpec& device, std::uint32_t packets,
                          std::chrono::milliseconds reply_timeout,
                          std::vector<const HookSpec*> hooks = {});
    const std::string& kernel_release() const { return release_; }

private:
    const UserObject* user_object(const HookSpec& hook) const;
    // Before loading a user's program: run statistics on, the trace event's state saved, and
    // with --trace the trace instance made (once) and emptied (each time).
    Status prepare_user_programs();
    // The instance's lines printed in the context of hookmatrix's own threads.
    Result<std::vector<TraceLine>> own_trace_lines() const;

    KernelFeatures& features_;
    std::optional<BpfStats> stats_; // on from the first user program to the end of the run
    // Users' Hello-World programs switch on a trace event the kernel leaves on; put it back.
    std::optional<TracePrintkEventState> printk_event_;
    std::optional<TraceInstance> trace_; // --trace: made with the first user program
    RunOptions options_;
    std::string release_;
    std::uint32_t magic_;
};

std::string running_kernel_release();

} // namespace hm
