// Netfilter hooks (Linux 6.4+): a BPF_PROG_TYPE_NETFILTER program registered at an IPv4 hook
// through a bpf_link of attach type BPF_NETFILTER. The link descriptor is the attachment: closing
// it, or the process dying, unregisters the hook. The kernel registers it in the calling thread's
// network namespace (and holds a reference on that namespace while the link lives), so it is
// created from inside the device's namespace. A netfilter hook sees every IPv4 packet of its
// namespace, not one device's: in hookmatrix's near namespace that is the device under test's
// traffic (and lo's, which hookmatrix does not use).
//
// libbpf 1.1.2 predates netfilter links, so the link is created with our own BPF_LINK_CREATE
// (uapi_compat.h).
#include "core/uapi_compat.h"
#include "runners/attach/attacher.h"

#include <bpf/bpf.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>

namespace hm {

namespace {
// Where iptables' filter table sits, after conntrack and NAT have had the packet: the probe sees
// what the xt-bpf hooks see. The kernel refuses NF_IP_PRI_FIRST and NF_IP_PRI_LAST only.
// One past it, though: the kernel refuses a BPF hook at a priority another hook already holds
// (EBUSY), and iptables' filter chain, in the choir beside us, sits at NF_IP_PRI_FILTER itself.
constexpr std::int32_t kPriority = NF_IP_PRI_FILTER + 1;

class NetfilterAttacher final : public Attacher {
public:
    Result<std::unique_ptr<Attachment>> attach(const AttachTarget& target, const HookSpec& hook,
                                               const Program& program) override {
        // Ingress hooks see the requests far sends to the device under test, which are
        // delivered locally; egress hooks the requests the device's namespace sends.
        const bool in = hook.direction == Direction::Ingress;
        const std::string where = std::string("netfilter ipv4 ") + (in ? "LOCAL_IN" : "LOCAL_OUT") +
                                  " prio " + std::to_string(kPriority) + " in ns " +
                                  target.ns.name();
        auto scope = NetnsScope::enter(target.ns);
        if (!scope)
            return std::unexpected(scope.error());
        const compat::LinkCreateAttr attr{
            .prog_fd = static_cast<std::uint32_t>(program.fd()),
            .attach_type = compat::kAttachNetfilter,
            .netfilter = {.pf = NFPROTO_IPV4,
                          .hooknum = in ? NF_INET_LOCAL_IN : NF_INET_LOCAL_OUT,
                          .priority = kPriority,
                          .flags = 0}, // no BPF_F_NETFILTER_IP_DEFRAG: echoes are not fragmented
        };
        // A kernel without netfilter links rejects the attach type (EINVAL) or, built without
        // CONFIG_NETFILTER_BPF_LINK, the link (EOPNOTSUPP).
        const int fd = compat::link_create(attr), err = errno;
        return link_attachment({fd, err, static_cast<int>(attr.attach_type)}, where,
                               "kernel has no netfilter bpf_link (BPF_NETFILTER, Linux 6.4+)",
                               program);
    }
};
} // namespace

Attacher& netfilter_attacher() {
    return single<NetfilterAttacher>();
}

} // namespace hm
