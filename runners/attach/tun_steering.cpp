// TUNSETSTEERINGEBPF (Linux 4.16, commit 96f84061620c "tun: add eBPF based queue selection
// method"): a BPF_PROG_TYPE_SOCKET_FILTER program that tun runs from ndo_select_queue for every
// skb the device transmits; its return value, modulo the number of queues, is the queue the frame
// is handed to. The program belongs to the device and is set through any of its queue
// descriptors; setting -1 removes it. The kernel also drops it with the device, so a killed run
// leaves nothing behind.
#include "runners/attach/attacher.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>

namespace hm {

namespace {
class SteeringProgram final : public Attachment {
public:
    SteeringProgram(UniqueFd queue, std::string text)
        : queue_(std::move(queue)), text_(std::move(text)) {}
    ~SteeringProgram() override {
        int none = -1;
        ::ioctl(queue_.get(), TUNSETSTEERINGEBPF, &none);
    }
    std::string describe() const override { return text_; }

private:
    UniqueFd queue_; // a duplicate of the device's queue descriptor, so it cannot be reused
    std::string text_;
};

class TunSteeringAttacher final : public Attacher {
public:
    Result<std::unique_ptr<Attachment>> attach(const AttachTarget& target, const HookSpec&,
                                               const Program& program) override {
        const std::string where =
            "tun steering (TUNSETSTEERINGEBPF) on " + target.ifname + " in ns " + target.ns.name();
        if (target.device_fd < 0)
            return unsupported("attach " + where, EOPNOTSUPP,
                        "TUNSETSTEERINGEBPF is an ioctl of tun/tap devices, on a queue "
                        "descriptor; " +
                            target.ifname + " is not driven through one");
        UniqueFd queue(::fcntl(target.device_fd, F_DUPFD_CLOEXEC, 0));
        if (!queue.valid())
            return fail("duplicate the queue descriptor of " + target.ifname, errno);
        int prog = program.fd();
        if (::ioctl(queue.get(), TUNSETSTEERINGEBPF, &prog) != 0) {
            const int err = errno;
            // ENOTTY: the descriptor is not a tun file. A tun without the ioctl (before 4.16)
            // answers EINVAL, as it does for a program of the wrong type: say both.
            if (err == ENOTTY)
                return unsupported("attach " + where, EOPNOTSUPP,
                            "the device descriptor is not a tun/tap queue (ENOTTY)");
            return fail("attach " + where, err,
                        err == EINVAL ? "a kernel before 4.16 has no TUNSETSTEERINGEBPF; the "
                                        "program must be a socket filter"
                                      : "");
        }
        return std::make_unique<SteeringProgram>(
            std::move(queue), where + ", prog id " + std::to_string(program.id()));
    }
};
} // namespace

Attacher& tun_steering_attacher() { return single<TunSteeringAttacher>(); }

} // namespace hm
