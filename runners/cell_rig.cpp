#include "runners/cell_rig.h"

#include <unistd.h>

namespace hm {

Result<std::unique_ptr<CellRig>> CellRig::build(const DeviceSpec& device, const RigParts& parts) {
    std::unique_ptr<CellRig> rig(new CellRig);
    rig->parts_ = parts;
    // Echo requests carry the process id, as ping's do, so replies to other processes' pings
    // in the namespaces are told apart.
    rig->ident_ = static_cast<std::uint16_t>(::getpid());
    auto topo = build_topology(device);
    if (!topo)
        return std::unexpected(topo.error());
    rig->topology_ = std::move(*topo);
    if (parts.event_table) {
        auto table = EventTable::create();
        if (!table)
            return std::unexpected(table.error());
        rig->table_ = std::move(*table);
    }
    if (parts.cgroup) {
        auto made = Cgroup::create();
        if (!made)
            return std::unexpected(made.error());
        rig->cgroup_ = std::move(*made);
    }
    if (parts.sender) {
        const bool in_cgroup =
            rig->cgroup_ && parts.sender_in_cgroup && *parts.sender == Side::Near;
        auto sender = rig->topology_->sender(*parts.sender, in_cgroup ? rig->cgroup_->fd() : -1);
        if (!sender)
            return std::unexpected(sender.error());
        rig->sender_ = std::move(*sender);
    }
    return rig;
}

CellRig::~CellRig() {
    while (!mounted_.empty())
        mounted_.pop_back();
}

Status CellRig::warm_up(std::string_view what) {
    const Side from = *parts_.sender;
    const Endpoint& a = topology_->end(from);
    const Endpoint& b = topology_->end(from == Side::Near ? Side::Far : Side::Near);
    if (hm::warm_up(*sender_, b.addr, ident_, parts_.magic))
        return {};
    return fail("no reply to warm-up echo requests from " + a.addr_text + " to " + b.addr_text +
                " before " + std::string(what));
}

Result<EchoRun> CellRig::send_echoes(std::uint32_t packets,
                                     std::chrono::milliseconds reply_timeout,
                                     const std::atomic<bool>* stop) {
    const Side from = *parts_.sender;
    const Endpoint& to = topology_->end(from == Side::Near ? Side::Far : Side::Near);
    return hm::send_echoes(*sender_, to.addr, ident_, parts_.magic, packets, reply_timeout,
                           *table_, stop);
}

AttachTarget CellRig::target() const {
    const Endpoint& near = topology_->near();
    return {.ns = near.ns,
            .ifname = near.ifname,
            .ifindex = near.ifindex,
            .device_fd = topology_->device_fd(),
            .cgroup_fd = cgroup_ ? cgroup_->fd() : -1};
}

Result<const Mounted*> CellRig::mount(const HookSpec& hook, std::unique_ptr<Program> program) {
    auto attachment = attacher_for(hook.family).attach(target(), hook, *program);
    if (!attachment)
        return std::unexpected(attachment.error());
    mounted_.push_back(
        std::make_unique<Mounted>(Mounted{&hook, std::move(program), std::move(*attachment)}));
    return mounted_.back().get();
}

} // namespace hm
