#pragma once
// The rig every measurement on the running kernel stands on, whether a cell, a choir or a
// throughput cell: the device's topology and, as asked, the event table the probes write into,
// a cgroup of the cell's own for cgroup hooks, and the sender of echo requests on one side; then
// programs attached at hooks of the device under test. The rig owns all of it. Teardown is the
// reverse of construction: programs detach (the last attached first, as a shared clsact qdisc is
// removed by the attacher that made it), the sender closes, the cgroup and the table go, then the
// namespaces with everything still in them.
#include "core/cgroup.h"
#include "core/error.h"
#include "matrix/devices.h"
#include "matrix/hooks.h"
#include "runners/attach/attacher.h"
#include "runners/programs/event_table.h"
#include "runners/programs/program.h"
#include "runners/topology/topology.h"
#include "runners/traffic/echo_run.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hm {

struct RigParts {
    bool event_table = false; // for probes
    bool cgroup = false;      // for cgroup_skb hooks
    // Where echo requests start; none: the rig sends no echo requests (a throughput cell).
    std::optional<Side> sender;
    // Whether a near-side sender's socket is charged to the cell's cgroup, so that cgroup egress
    // hooks hear what it sends. A far sender never is: it stands for another host.
    bool sender_in_cgroup = false;
    std::uint32_t magic = 0; // the run's echo payload magic, which the probes match
};

// A program at a hook of the rig: destroying it detaches, then unloads.
struct Mounted {
    const HookSpec* hook = nullptr;
    std::unique_ptr<Program> program;
    std::unique_ptr<Attachment> attachment;
};

class CellRig {
public:
    static Result<std::unique_ptr<CellRig>> build(const DeviceSpec& device, const RigParts& parts);
    ~CellRig();
    CellRig(const CellRig&) = delete;
    CellRig& operator=(const CellRig&) = delete;

    const Topology& topology() const { return *topology_; }
    EventTable& table() { return *table_; } // only with RigParts::event_table
    std::uint16_t ident() const { return ident_; }

    // Untimed requests until one is answered (runners/traffic/echo_run.h): an Error saying the
    // topology does not forward, "before `what`" was attached, when nothing answered.
    Status warm_up(std::string_view what);
    // `packets` timed echo requests, one at a time, the probes' firings collected as they come.
    // `stop`: see hm::send_echoes.
    Result<EchoRun> send_echoes(std::uint32_t packets, std::chrono::milliseconds reply_timeout,
                                const std::atomic<bool>* stop = nullptr);

    // Attaches `program` at `hook` on the device under test and keeps both, for as long as the rig
    // lives; an attach error is returned as the attacher said it (unsupported or failed).
    Result<const Mounted*> mount(const HookSpec& hook, std::unique_ptr<Program> program);

private:
    CellRig() = default;
    AttachTarget target() const;

    RigParts parts_;
    std::uint16_t ident_ = 0;
    std::unique_ptr<Topology> topology_;
    std::unique_ptr<EventTable> table_;
    std::optional<Cgroup> cgroup_;
    std::unique_ptr<EchoSender> sender_;
    std::vector<std::unique_ptr<Mounted>> mounted_; // in attach order; pointers stay valid
};

} // namespace hm
