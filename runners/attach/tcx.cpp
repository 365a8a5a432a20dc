// tcx (Linux 6.6+): a SCHED_CLS program on a device's ingress or egress through a bpf_link of
// attach type BPF_TCX_INGRESS/EGRESS. No qdisc, no filter handle: the link descriptor is the
// attachment, so closing it, or the process dying, detaches the program.
//
// libbpf 1.1.2 predates tcx, so the link is created with our own BPF_LINK_CREATE (uapi_compat.h).
#include "runners/attach/attacher.h"
#include "core/uapi_compat.h"

#include <bpf/bpf.h>

namespace hm {

namespace {


class TcxAttacher final : public Attacher {
public:
    Result<std::unique_ptr<Attachment>> attach(const AttachTarget& target, const HookSpec& hook,
                                               const Program& program) override {
        const bool ingress = hook.direction == Direction::Ingress;
        const char* side = ingress ? "ingress" : "egress";
        const std::string where =
            std::string("tcx ") + side + " on " + target.ifname + " in ns " + target.ns.name();
        // The kernel resolves target_ifindex in the calling thread's namespace.
        auto scope = NetnsScope::enter(target.ns);
        if (!scope)
            return std::unexpected(scope.error());
        // No BPF_F_BEFORE/AFTER, relative fd or expected revision: append to the device's chain.
        const compat::LinkCreateAttr attr{
            .prog_fd = static_cast<std::uint32_t>(program.fd()),
            .target = static_cast<std::uint32_t>(target.ifindex),
            .attach_type = ingress ? compat::kAttachTcxIngress : compat::kAttachTcxEgress,
        };
        // A kernel without tcx does not know the attach type: attach_type_to_prog_type() finds
        // no program type for it and BPF_LINK_CREATE answers EINVAL (EOPNOTSUPP where
        // CONFIG_NET_XGRESS is off).
        const int fd = compat::link_create(attr), err = errno;
        return link_attachment({fd, err, static_cast<int>(attr.attach_type)}, where,
                               std::string("kernel has no tcx (BPF_TCX_") +
                                   (ingress ? "INGRESS" : "EGRESS") + ", Linux 6.6+)", program);
    }
};
} // namespace

Attacher& tcx_attacher() { return single<TcxAttacher>(); }

} // namespace hm
