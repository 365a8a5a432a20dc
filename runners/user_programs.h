#pragma once
// Users' own objects (--object) in a run: which hook gets which object, and what hearing them
// needs, made once for the whole run on first use: BPF run statistics on (the kernel's run counter
// is how a program that writes no hookmatrix events is heard), the bpf_trace_printk event's state
// kept so it can be put back, and with --trace a tracing instance of hookmatrix's own.
#include "core/bpf_stats.h"
#include "core/error.h"
#include "core/trace_instance.h"
#include "core/trace_printk_event.h"
#include "matrix/hooks.h"
#include "runners/programs/program.h"
#include "runners/programs/user_program.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hm {

class UserPrograms {
public:
    // `trace`: judge the programs by their bpf_trace_printk lines instead of the run counter.
    UserPrograms(UserObjects objects, bool trace) : objects_(std::move(objects)), trace_(trace) {}

    // The user's object for `hook`, or nullptr: then the probe runs there.
    const UserObject* object_for(const HookSpec& hook) const;
    bool judged_by_trace() const { return trace_; }

    // Loads the user's object for `hook` (object_for(hook) must be set), after making what
    // hearing it needs and, with --trace, emptying the trace instance.
    Result<std::unique_ptr<Program>> load(const HookSpec& hook);

    // --trace: the instance's lines printed in the context of hookmatrix's own threads.
    Result<std::vector<TraceLine>> own_trace_lines() const;
    // --trace: each line with the kernel stack it was printed from (TraceInstance), or not.
    // Nothing to do before a user's program was loaded.
    Status record_stacks(bool on);

private:
    Status prepare();

    UserObjects objects_;
    bool trace_;
    std::optional<BpfStats> stats_; // on from the first user program to the end of the run
    // Users' Hello-World programs switch on a trace event the kernel leaves on; put it back.
    std::optional<TracePrintkEventState> printk_event_;
    std::optional<TraceInstance> instance_;
};

} // namespace hm
