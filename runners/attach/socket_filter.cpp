// Socket filters: a BPF_PROG_TYPE_SOCKET_FILTER program attached to one socket with
// SO_ATTACH_BPF. The socket is the attachment: the attacher opens a raw ICMP socket in the
// device's namespace, which receives a copy of every echo request arriving there, attaches the
// probe to it and owns it; closing the socket (or the process dying) detaches the program.
#include "runners/attach/attacher.h"
#include "runners/traffic/receiver_socket.h"

#include <sys/socket.h>

namespace hm {

namespace {
class FilteredSocket final : public Attachment {
public:
    FilteredSocket(std::unique_ptr<RequestReceiver> sock, std::string text)
        : sock_(std::move(sock)), text_(std::move(text)) {}
    std::string describe() const override { return text_; }

private:
    std::unique_ptr<RequestReceiver> sock_;
    std::string text_;
};

class SocketFilterAttacher final : public Attacher {
public:
    Result<std::unique_ptr<Attachment>> attach(const AttachTarget& target, const HookSpec&,
                                               const Program& program) override {
        const std::string where = "SO_ATTACH_BPF on a raw ICMP socket in ns " + target.ns.name();
        auto sock = RequestReceiver::open(target.ns, -1, /*with_replies=*/true);
        if (!sock)
            return std::unexpected(sock.error());
        const int prog_fd = program.fd();
        if (::setsockopt((*sock)->fd(), SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof prog_fd) != 0)
            return fail("attach " + where, errno);
        return std::make_unique<FilteredSocket>(std::move(*sock), where + ", prog id " +
                                                                      std::to_string(program.id()));
    }
};
} // namespace

Attacher& socket_filter_attacher() { return single<SocketFilterAttacher>(); }

} // namespace hm
