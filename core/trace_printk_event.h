#pragma once
// Loading any program that calls bpf_trace_printk makes the kernel switch on the
// bpf_trace/bpf_trace_printk event of the top-level trace buffer, and it stays on. A
// TracePrintkEventState puts the switch back as it was before hookmatrix ran: on destruction,
// or through its janitor when hookmatrix is killed. Newer kernels turn it on from a workqueue a
// little after the load, so the janitor watches it stay put back before it exits.
//
// Several hookmatrix processes may run at once, and the second one to start sees the switch
// the first one's programs turned on. So each keeps, for as long as it runs, an abstract UNIX
// socket (the kernel removes it with its holder) whose name carries the value found before any
// of them ran: a newcomer adopts it, and only the last one to finish writes it back. A second
// abstract socket serves as the lock that makes "look, then join" and "look, then restore"
// atomic across processes.
#include "core/error.h"
#include "core/janitor.h"

namespace hm {

class TracePrintkEventState {
public:
    // Remembers the switch; nothing to remember on kernels without the event (before 5.10). An
    // error says it cannot keep the switch to put it back, and why.
    static Result<TracePrintkEventState> save();
    TracePrintkEventState(TracePrintkEventState&&) noexcept = default;
    TracePrintkEventState& operator=(TracePrintkEventState&&) = delete;
    ~TracePrintkEventState() = default; // the janitor restores, then exits

private:
    explicit TracePrintkEventState(Janitor janitor) : janitor_(std::move(janitor)) {}
    Janitor janitor_;
};

// What the janitor does (async-signal-safe): writes `saved` ('0' or '1') to the switch at
// `path`; when that is '0', watches it until it has stayed so for `settle_ms`, writing it again
// each time something turns it on, for at most `give_up_ms` (another tool may keep doing so).
void restore_printk_switch(const char* path, char saved, int settle_ms, int give_up_ms = 5000);

} // namespace hm
