// XDP through a bpf_link (kernel 5.9+): the link descriptor is the attachment, so closing it, or
// the process dying, detaches the program without anyone having to remember to.
#include "core/kernel_release.h"
#include "runners/attach/attacher.h"
#include "runners/topology/driver_info.h"

#include <sys/stat.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include <fmt/format.h>

#include <iterator>
#include <string_view>
#include <utility>

namespace hm {

namespace {
std::string_view mode_name(std::uint32_t flags) {
    if (flags & XDP_FLAGS_SKB_MODE)
        return "generic";
    if (flags & XDP_FLAGS_DRV_MODE)
        return "driver";
    if (flags & XDP_FLAGS_HW_MODE)
        return "offload";
    return "kernel's choice";
}

std::string_view attached_mode(std::uint8_t mode) {
    switch (mode) {
    case XDP_ATTACHED_SKB: return "generic";
    case XDP_ATTACHED_DRV: return "driver";
    case XDP_ATTACHED_HW: return "offload";
    case XDP_ATTACHED_MULTI: return "multi";
    default: return "none";
    }
}

// Drivers that take a native XDP program (they implement ndo_bpf's XDP_SETUP_PROG) but whose
// receive path never runs it, by the name ETHTOOL_GDRVINFO reports. Read from the driver's
// source; the cell still sends its packets, and passes if the program runs after all.
constexpr std::pair<std::string_view, std::string_view> kNativeXdpNeverRuns[] = {
    {"netdevsim", "netdevsim's receive path runs no native XDP program: nsim_rcv() hands every "
                  "frame straight to netif_receive_skb() (Linux 6.12, "
                  "drivers/net/netdevsim/netdev.c)"},
};

std::string native_xdp_never_runs(const AttachTarget& target) {
    auto info = driver_info(target.ns, target.ifname);
    if (!info)
        return {};
    for (const auto& [driver, why] : kNativeXdpNeverRuns)
        if (info->driver == driver)
            return std::string(why);
    return {};
}

// An offloaded XDP program: the program (loaded for the device) and its link.
class OffloadAttachment final : public Attachment {
public:
    OffloadAttachment(UniqueFd prog, UniqueFd link, std::string text, std::string proof)
        : prog_(std::move(prog)), link_(std::move(link)), text_(std::move(text)),
          proof_(std::move(proof)) {}
    std::string describe() const override { return text_; }
    std::string unreachable() const override { return proof_; }

private:
    UniqueFd prog_, link_;
    std::string text_, proof_;
};

// XDP_FLAGS_HW_MODE: the program must be loaded for the device (prog_ifindex), and then only
// runs where the device's "hardware" runs it; netdevsim's verifies and binds it and runs it
// nowhere. The probe cannot be the offloaded program: its event table cannot be offloaded (an
// mmap-able array shared with the host; netdevsim binds only plain arrays and hashes made for
// the device), and a program loaded for no device cannot be attached in offload mode. So a minimal
// XDP_PASS program stands in for it, and the proof is the binding: the program's own info names the
// device and its namespace, and the device reports it as its offloaded (hw) XDP program.
Result<std::unique_ptr<Attachment>> attach_offload(const AttachTarget& target,
                                                   const Program& probe) {
    auto scope = NetnsScope::enter(target.ns); // prog_ifindex is looked up in our namespace
    if (!scope)
        return std::unexpected(scope.error());
    const std::string where = target.ifname + " in ns " + target.ns.name();
    const bpf_insn insns[] = {
        {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS},
        {.code = BPF_JMP | BPF_EXIT},
    };
    char log[4096] = {};
    LIBBPF_OPTS(bpf_prog_load_opts, load, .prog_ifindex = static_cast<__u32>(target.ifindex),
                .log_level = 1, .log_size = sizeof log, .log_buf = log);
    UniqueFd prog(
        bpf_prog_load(BPF_PROG_TYPE_XDP, "hm_offload", "GPL", insns, std::size(insns), &load));
    if (!prog.valid()) {
        const int err = errno;
        std::string why = std::string("the device's driver cannot bind BPF programs (only "
                                      "netdevsim and Netronome's nfp can)\n") +
                          log;
        // EINVAL: the kernel found no offload driver behind the ifindex.
        if (err == EINVAL || err == EOPNOTSUPP)
            return unsupported("load an XDP program for offload to " + where, EOPNOTSUPP, why);
        return fail("load an XDP program for offload to " + where, err, why);
    }
    remember_program(prog.get());
    LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = XDP_FLAGS_HW_MODE);
    UniqueFd link(bpf_link_create(prog.get(), target.ifindex, BPF_XDP, &opts));
    if (!link.valid()) {
        const int err = errno;
        if (err == EOPNOTSUPP)
            return unsupported("attach XDP in offload mode to " + where, err);
        return fail("attach XDP in offload mode to " + where, err);
    }

    bpf_prog_info info{};
    __u32 len = sizeof info;
    if (bpf_obj_get_info_by_fd(prog.get(), &info, &len) != 0)
        return fail("read the offloaded program's info", errno);
    struct stat ns_stat {};
    if (::fstat(target.ns.fd(), &ns_stat) != 0)
        return fail("stat ns " + target.ns.name(), errno);
    LIBBPF_OPTS(bpf_xdp_query_opts, q);
    if (bpf_xdp_query(target.ifindex, XDP_FLAGS_HW_MODE, &q) != 0)
        return fail("query XDP on " + where, errno);
    const bool bound = info.ifindex == static_cast<__u32>(target.ifindex) &&
                       info.netns_dev == static_cast<__u64>(ns_stat.st_dev) &&
                       info.netns_ino == static_cast<__u64>(ns_stat.st_ino);
    const bool offloaded = q.hw_prog_id == info.id && (q.attach_mode == XDP_ATTACHED_HW ||
                                                       q.attach_mode == XDP_ATTACHED_MULTI);
    const std::string facts = fmt::format(
        "prog id {} bound to ifindex {} in netns {}:{} (bpf_prog_info; {} is ifindex {} in "
        "netns {}:{}), and {} reports hw prog id {}, attach mode {}",
        info.id, info.ifindex, info.netns_dev, info.netns_ino, target.ifname, target.ifindex,
        static_cast<__u64>(ns_stat.st_dev), static_cast<__u64>(ns_stat.st_ino), target.ifname,
        q.hw_prog_id, attached_mode(q.attach_mode));
    if (!bound || !offloaded)
        return fail("verify the XDP offload to " + where, EIO, facts);
    std::string text = fmt::format(
        "xdp offload mode: a minimal XDP_PASS program (prog id {}) bound to {} and attached as "
        "its hw program through a bpf_link; the probe (prog id {}) is not offloadable (its "
        "event table is host memory) and stays unattached",
        info.id, target.ifname, probe.id());
    std::string proof = "offloaded and verified: " + facts +
                        "; netdevsim binds offloaded programs but runs them on no datapath";
    return std::make_unique<OffloadAttachment>(std::move(prog), std::move(link), std::move(text),
                                               std::move(proof));
}

class XdpAttacher final : public Attacher {
public:
    Result<std::unique_ptr<Attachment>> attach(const AttachTarget& target, const HookSpec& hook,
                                               const Program& program) override {
        if (hook.xdp_flags & XDP_FLAGS_HW_MODE)
            return attach_offload(target, program);
        // ifindex is resolved in the caller's network namespace.
        auto scope = NetnsScope::enter(target.ns);
        if (!scope)
            return std::unexpected(scope.error());
        LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = hook.xdp_flags);
        int fd = bpf_link_create(program.fd(), target.ifindex, BPF_XDP, &opts);
        std::string what = "attach XDP in " + std::string(mode_name(hook.xdp_flags)) + " mode to " +
                           target.ifname + " in ns " + target.ns.name();
        if (fd < 0) {
            int err = errno;
            if (err == EOPNOTSUPP)
                return unsupported(what, err, "the driver has no native XDP support");
            return fail(what, err);
        }
        UniqueFd link(fd);
        LIBBPF_OPTS(bpf_xdp_query_opts, q);
        std::string text = "xdp " + std::string(mode_name(hook.xdp_flags)) + " mode";
        const bool queried = bpf_xdp_query(target.ifindex, 0, &q) == 0;
        if (queried)
            text = "xdp attached in " + std::string(attached_mode(q.attach_mode)) + " mode";
        text += ", prog id " + std::to_string(program.id()) + ", bpf_link";
        std::string unreachable;
        if (queried && q.attach_mode == XDP_ATTACHED_DRV)
            if (std::string why = native_xdp_never_runs(target); !why.empty())
                unreachable = "the driver took the program in driver mode (prog id " +
                              std::to_string(q.drv_prog_id) + " on " + target.ifname + "), but " +
                              why;
        return std::make_unique<LinkAttachment>(std::move(link), std::move(text),
                                                std::move(unreachable));
    }
};
} // namespace

Attacher& xdp_attacher() {
    return single<XdpAttacher>();
}

} // namespace hm
