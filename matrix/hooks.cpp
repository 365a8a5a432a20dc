#include "matrix/hooks.h"

#include "core/uapi_compat.h"

#include <linux/if_link.h>
#include <linux/netfilter.h>
#include <linux/pkt_cls.h>

#include <algorithm>
#include <array>

namespace hm {

namespace {
// xt_bpf matches when the program returns non-zero; the probe only observes, so it never matches.
constexpr std::uint32_t kXtNoMatch = 0;
// tcx runs a chain of programs; TCX_NEXT hands the packet on to the next one (and to classic tc
// after the chain) where TC_ACT_OK (TCX_PASS) would end the chain right here. An observer must
// not decide for the programs after it, so the probe says "next"; alone on the device, both
// let the packet through.
constexpr auto kTcxNext = static_cast<std::uint32_t>(compat::kTcxNext);
// A socket filter returns how many bytes of the packet the socket keeps (0 drops it; more than
// the packet's length keeps it whole, sk_filter_trim_cap()): all of it.
constexpr std::uint32_t kKeepWholePacket = 0xFFFFFFFF;
// A cgroup_skb program returns 1 to allow the packet, 0 to drop it.
constexpr std::uint32_t kCgroupAllow = 1;

constexpr std::array kHooks{
    HookSpec{"xdp", HookFamily::Xdp, BPF_PROG_TYPE_XDP, ProbeKind::Xdp, Direction::Ingress,
             XDP_PASS, 0,
             "XDP with no mode asked for, as 'ip link set dev X xdp': driver mode where the driver "
             "has it, generic otherwise; the cell reports which"},
    HookSpec{"xdpgeneric", HookFamily::Xdp, BPF_PROG_TYPE_XDP, ProbeKind::Xdp, Direction::Ingress,
             XDP_PASS, XDP_FLAGS_SKB_MODE,
             "XDP in generic (skb) mode: after the skb is built, any device"},
    HookSpec{"xdpdrv", HookFamily::Xdp, BPF_PROG_TYPE_XDP, ProbeKind::Xdp, Direction::Ingress,
             XDP_PASS, XDP_FLAGS_DRV_MODE,
             "XDP in driver (native) mode: in the driver's receive path, before any skb"},
    HookSpec{"xdpoffload", HookFamily::Xdp, BPF_PROG_TYPE_XDP, ProbeKind::Xdp, Direction::Ingress,
             XDP_PASS, XDP_FLAGS_HW_MODE,
             "XDP offloaded to the device (netdevsim here): loaded for the device's ifindex"},
    HookSpec{"tc-ingress", HookFamily::Tc, BPF_PROG_TYPE_SCHED_CLS, ProbeKind::Skb,
             Direction::Ingress, TC_ACT_OK, 0, "tc clsact ingress, cls_bpf in direct-action mode"},
    HookSpec{"tc-egress", HookFamily::Tc, BPF_PROG_TYPE_SCHED_CLS, ProbeKind::Skb,
             Direction::Egress, TC_ACT_OK, 0, "tc clsact egress, cls_bpf in direct-action mode"},
    HookSpec{"xt-bpf-input", HookFamily::XtBpf, BPF_PROG_TYPE_SOCKET_FILTER, ProbeKind::Skb,
             Direction::Ingress, kXtNoMatch, 0,
             "iptables INPUT rule with the xt_bpf match (-m bpf --object-pinned)"},
    HookSpec{"xt-bpf-output", HookFamily::XtBpf, BPF_PROG_TYPE_SOCKET_FILTER, ProbeKind::Skb,
             Direction::Egress, kXtNoMatch, 0,
             "iptables OUTPUT rule with the xt_bpf match (-m bpf --object-pinned)"},
    HookSpec{"tcx-ingress", HookFamily::Tcx, BPF_PROG_TYPE_SCHED_CLS, ProbeKind::Skb,
             Direction::Ingress, kTcxNext, 0, "tcx ingress: a bpf_link on the device, Linux 6.6+"},
    HookSpec{"tcx-egress", HookFamily::Tcx, BPF_PROG_TYPE_SCHED_CLS, ProbeKind::Skb,
             Direction::Egress, kTcxNext, 0, "tcx egress: a bpf_link on the device, Linux 6.6+"},
    HookSpec{"netfilter-local-in", HookFamily::Netfilter, compat::kProgTypeNetfilter,
             ProbeKind::Netfilter, Direction::Ingress, NF_ACCEPT, 0,
             "netfilter IPv4 LOCAL_IN (where iptables INPUT runs), a BPF_NETFILTER bpf_link"},
    HookSpec{"netfilter-local-out", HookFamily::Netfilter, compat::kProgTypeNetfilter,
             ProbeKind::Netfilter, Direction::Egress, NF_ACCEPT, 0,
             "netfilter IPv4 LOCAL_OUT (where iptables OUTPUT runs), a BPF_NETFILTER bpf_link"},
    // The return value is the transmit queue (modulo the queue count): 0, the first queue.
    HookSpec{"tun-steering", HookFamily::TunSteering, BPF_PROG_TYPE_SOCKET_FILTER, ProbeKind::Skb,
             Direction::Egress, 0, 0,
             "TUNSETSTEERINGEBPF: a socket filter that picks a tun/tap device's transmit queue"},
    HookSpec{"socket-filter", HookFamily::SocketFilter, BPF_PROG_TYPE_SOCKET_FILTER,
             ProbeKind::Skb, Direction::Ingress, kKeepWholePacket, 0,
             "SO_ATTACH_BPF on a raw ICMP socket in the device's namespace that receives the "
             "requests"},
    HookSpec{"cgroup-skb-ingress", HookFamily::CgroupSkb, BPF_PROG_TYPE_CGROUP_SKB,
             ProbeKind::Skb, Direction::Ingress, kCgroupAllow, 0,
             "cgroup_skb ingress (bpf_link on the cell's cgroup): packets delivered to its "
             "sockets"},
    HookSpec{"cgroup-skb-egress", HookFamily::CgroupSkb, BPF_PROG_TYPE_CGROUP_SKB,
             ProbeKind::Skb, Direction::Egress, kCgroupAllow, 0,
             "cgroup_skb egress (bpf_link on the cell's cgroup): packets its sockets send"},
};
} // namespace

std::span<const HookSpec> all_hooks() { return kHooks; }

const HookSpec* find_hook(std::string_view name) {
    auto it = std::ranges::find(kHooks, name, &HookSpec::name);
    return it == kHooks.end() ? nullptr : &*it;
}

std::string_view to_string(HookFamily f) {
    switch (f) {
    case HookFamily::Xdp: return "xdp";
    case HookFamily::Tc: return "tc";
    case HookFamily::XtBpf: return "xt_bpf";
    case HookFamily::Tcx: return "tcx";
    case HookFamily::Netfilter: return "netfilter";
    case HookFamily::TunSteering: return "tun_steering";
    case HookFamily::SocketFilter: return "socket_filter";
    case HookFamily::CgroupSkb: return "cgroup_skb";
    }
    return "?";
}

std::string_view to_string(Direction d) { return d == Direction::Ingress ? "ingress" : "egress"; }

} // namespace hm
