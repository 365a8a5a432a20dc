#include "runners/attach/attacher.h"

#include <bpf/bpf.h>

namespace hm {

std::uint32_t bpf_link_id(int link_fd) {
    bpf_link_info info{};
    std::uint32_t len = sizeof info;
    return bpf_obj_get_info_by_fd(link_fd, &info, &len) == 0 ? info.id : 0;
}

Result<UniqueFd> adopt_link(const LinkAnswer& answer, const std::string& where,
                            const std::string& lacks) {
    if (answer.fd >= 0)
        return UniqueFd(answer.fd);
    if (answer.err == EINVAL || answer.err == EOPNOTSUPP)
        return unsupported(lacks + ": attach " + where, EOPNOTSUPP,
                           "BPF_LINK_CREATE with attach type " +
                               std::to_string(answer.attach_type) + " answered errno " +
                               std::to_string(answer.err));
    return fail("attach " + where, answer.err);
}

std::string link_text(const std::string& where, const Program& program, int link_fd) {
    return where + ", prog id " + std::to_string(program.id()) + ", bpf_link id " +
           std::to_string(bpf_link_id(link_fd));
}

Result<std::unique_ptr<Attachment>> link_attachment(const LinkAnswer& answer,
                                                    const std::string& where,
                                                    const std::string& lacks,
                                                    const Program& program) {
    auto link = adopt_link(answer, where, lacks);
    if (!link)
        return std::unexpected(link.error());
    std::string text = link_text(where, program, link->get());
    return std::make_unique<LinkAttachment>(std::move(*link), std::move(text));
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
