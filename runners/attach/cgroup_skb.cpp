// cgroup_skb: a BPF_PROG_TYPE_CGROUP_SKB program on the cell's cgroup, through a bpf_link of
// attach type BPF_CGROUP_INET_INGRESS or _EGRESS. It runs for the packets of sockets charged to
// that cgroup (a socket records the cgroup of the task that creates it): egress for what they
// send, ingress for what is delivered to them. The runner makes the cgroup (core/cgroup.h) and,
// for egress, the near sender in it; for ingress the attachment also owns a raw ICMP socket in
// the cgroup in the device's namespace, which receives the echo requests.
//
// The link descriptor is the attachment: closing it, or the process dying, detaches the program.
#include "runners/attach/attacher.h"
#include "runners/traffic/receiver_socket.h"

#include <bpf/bpf.h>
#include <unistd.h>

namespace hm {

namespace {
class CgroupSkbLink final : public Attachment {
public:
    CgroupSkbLink(UniqueFd link, std::unique_ptr<RequestReceiver> receiver, std::string text)
        : link_(std::move(link)), receiver_(std::move(receiver)), text_(std::move(text)) {}
    std::string describe() const override { return text_; }

private:
    UniqueFd link_;
    std::unique_ptr<RequestReceiver>
        receiver_; // ingress only: the socket of the cgroup that the requests are for
    std::string text_;
};


std::string cgroup_path(int fd) {
    char buf[4096];
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "fd " + std::to_string(fd);
}

class CgroupSkbAttacher final : public Attacher {
public:
    Result<std::unique_ptr<Attachment>> attach(const AttachTarget& target, const HookSpec& hook,
                                               const Program& program) override {
        const bool ingress = hook.direction == Direction::Ingress;
        if (target.cgroup_fd < 0)
            return fail("attach " + std::string(hook.name) + ": the cell has no cgroup", EINVAL,
                        "the runner makes one for every hook of the cgroup_skb family");
        const std::string where = std::string("cgroup_skb ") + (ingress ? "ingress" : "egress") +
                                  " on cgroup " + cgroup_path(target.cgroup_fd);
        std::unique_ptr<RequestReceiver> receiver;
        if (ingress) {
            auto sock = RequestReceiver::open(target.ns, target.cgroup_fd);
            if (!sock)
                return std::unexpected(sock.error());
            receiver = std::move(*sock);
        }
        const auto type = ingress ? BPF_CGROUP_INET_INGRESS : BPF_CGROUP_INET_EGRESS;
        // Without CONFIG_CGROUP_BPF the kernel answers EINVAL (EOPNOTSUPP in some paths);
        // cgroup bpf_links exist since Linux 5.7.
        const int fd = bpf_link_create(program.fd(), target.cgroup_fd, type, nullptr), err = errno;
        auto link = adopt_link({fd, err, type}, where,
                               "kernel cannot attach cgroup_skb programs with a bpf_link "
                               "(CONFIG_CGROUP_BPF, Linux 5.7+)");
        if (!link)
            return std::unexpected(link.error());
        std::string text = link_text(where, program, link->get());
        if (ingress)
            text += ", receiving raw ICMP socket in ns " + target.ns.name();
        return std::make_unique<CgroupSkbLink>(std::move(*link), std::move(receiver),
                                               std::move(text));
    }
};
} // namespace

Attacher& cgroup_skb_attacher() { return single<CgroupSkbAttacher>(); }

} // namespace hm
