#pragma once
// One attacher per hook family behind one interface. An Attachment is the RAII owner of one
// program at one hook: destroying it detaches.
//
// An attacher reports "the kernel or driver lacks this hook" as an unsupported Error
// (core/error.h); the runner turns exactly that into an `unsupported` verdict and everything else
// into `error`.
#include "core/error.h"
#include "core/netns.h"
#include "matrix/hooks.h"
#include "runners/programs/program.h"

#include <cstdint>
#include <memory>
#include <string>

namespace hm {

struct AttachTarget {
    const Netns& ns; // the namespace the device lives in
    std::string ifname;
    int ifindex = 0;
    int device_fd = -1; // a descriptor through which the device is driven (a tap queue); -1: none
    int cgroup_fd = -1; // the cell's cgroup (core/cgroup.h), for hooks that run per cgroup
};

class Attachment {
public:
    virtual ~Attachment() = default;
    virtual std::string describe() const = 0; // "xdp generic mode, prog id 41, link id 7"
    // Why no packet can reach the program although the kernel accepted the attachment, with the
    // proof of the attachment: an XDP program offloaded to netdevsim, whose "hardware" runs
    // nothing. Empty: packets reach it. A cell whose program then never runs is `attached`, not
    // `fail` (runners/judge.h); one whose program runs after all is judged as any other.
    virtual std::string unreachable() const { return {}; }
};

// The common case: a bpf_link whose descriptor is the attachment; closing it detaches.
class LinkAttachment final : public Attachment {
public:
    LinkAttachment(UniqueFd link, std::string text, std::string unreachable = {})
        : link_(std::move(link)), text_(std::move(text)), unreachable_(std::move(unreachable)) {}
    std::string describe() const override { return text_; }
    std::string unreachable() const override { return unreachable_; }

private:
    UniqueFd link_;
    std::string text_;
    std::string unreachable_;
};

// The kernel's id of a bpf_link, for describe() texts; 0 when it cannot be read.
std::uint32_t bpf_link_id(int link_fd);

// What BPF_LINK_CREATE answered, owned. A kernel that does not know the attach type rejects it
// with EINVAL (EOPNOTSUPP where the config option behind it is off): then the hook does not exist
// here, an unsupported Error that says what the kernel `lacks` ("kernel has no tcx
// (BPF_TCX_INGRESS, Linux 6.6+)"). Any other errno is a failure to attach at `where`.
struct LinkAnswer {
    int fd;  // what the call returned
    int err; // errno right after it
    int attach_type;
};
Result<UniqueFd> adopt_link(const LinkAnswer& answer, const std::string& where,
                            const std::string& lacks);

// "WHERE, prog id 41, bpf_link id 7": how a link attachment describes itself.
std::string link_text(const std::string& where, const Program& program, int link_fd);

// adopt_link(), then the link as the attachment of `program`.
Result<std::unique_ptr<Attachment>> link_attachment(const LinkAnswer& answer,
                                                    const std::string& where,
                                                    const std::string& lacks,
                                                    const Program& program);

class Attacher {
public:
    virtual ~Attacher() = default;
    virtual Result<std::unique_ptr<Attachment>> attach(const AttachTarget& target,
                                                       const HookSpec& hook,
                                                       const Program& program) = 0;
};

Attacher& attacher_for(HookFamily family);

// The one instance of an attacher class: attachers keep no state between attachments.
template <class A> Attacher& single() {
    static A attacher;
    return attacher;
}

// The families; attacher_for() picks among them.
Attacher& xdp_attacher();
Attacher& tc_attacher();
Attacher& xt_bpf_attacher();
Attacher& tcx_attacher();
Attacher& netfilter_attacher();
Attacher& tun_steering_attacher();
Attacher& socket_filter_attacher();
Attacher& cgroup_skb_attacher();

} // namespace hm
