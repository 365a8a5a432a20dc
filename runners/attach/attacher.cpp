#include "runners/attach/attacher.h"

#include <bpf/bpf.h>

namespace hm {

std::uint32_t bpf_link_id(int link_fd) {
    bpf_link_info info{};
    std::uint32_t len = sizeof info;
    return bpf_obj_get_info_by_fd(link_fd, &info, &len) == 0 ? info.id : 0;
}

Attacher& attacher_for(HookFamily family) {
    switch (family) {
    case HookFamily::Xdp: return xdp_attacher();
    case HookFamily::Tc: return tc_attacher();
    case HookFamily::XtBpf: return xt_bpf_attacher();
    case HookFamily::Tcx: return tcx_attacher();
    case HookFamily::Netfilter: return netfilter_attacher();
    case HookFamily::TunSteering: return tun_steering_attacher();
    case HookFamily::SocketFilter: return socket_filter_attacher();
    case HookFamily::CgroupSkb: return cgroup_skb_attacher();
    }
    return xdp_attacher(); // unreachable: the switch covers every family
}

} // namespace hm
