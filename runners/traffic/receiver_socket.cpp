#include "runners/traffic/receiver_socket.h"

#include "core/cgroup.h"

#include <linux/icmp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>

namespace hm {

namespace {
constexpr int kReceiveBuffer = 4 << 20; // the kernel doubles it for its bookkeeping
} // namespace

Result<std::unique_ptr<RequestReceiver>> RequestReceiver::open(const Netns& ns, int cgroup_fd,
                                                               bool with_replies) {
    UniqueFd fd;
    if (cgroup_fd >= 0) {
        auto s = socket_in_cgroup(ns, cgroup_fd, AF_INET, SOCK_RAW, IPPROTO_ICMP);
        if (!s)
            return std::unexpected(s.error());
        fd = std::move(*s);
    } else {
        auto scope = NetnsScope::enter(ns);
        if (!scope)
            return std::unexpected(scope.error());
        fd.reset(::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP));
        if (!fd.valid())
            return fail("open a raw ICMP socket in ns " + ns.name(), errno);
    }
    // raw_v4_input() applies ICMP_FILTER before it clones the packet for the socket, so what is
    // filtered never reaches a hook on the socket. A socket filter is judged on requests in a
    // cell and on replies in a choir, so it takes both (the judge counts the kind it waits for).
    // A cgroup's receiver takes requests only: in a choir the near sender sits in the same
    // cgroup and receives the replies, and the cgroup hook must hear each packet once.
    icmp_filter filter{~((1u << ICMP_ECHO) | (with_replies ? 1u << ICMP_ECHOREPLY : 0u))};
    if (::setsockopt(fd.get(), SOL_RAW, ICMP_FILTER, &filter, sizeof filter) != 0)
        return fail("set ICMP_FILTER on the receiving socket in ns " + ns.name(), errno);
    // Room for a few thousand requests while the reader thread is not scheduled (a loaded
    // machine can keep it off the CPU for milliseconds); the memory is used only by a backlog.
    const int rcvbuf = kReceiveBuffer;
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
        return fail("set SO_RCVBUFFORCE on the receiving socket in ns " + ns.name(), errno);
    UniqueFd stop(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!stop.valid())
        return fail("create an eventfd to stop the receiving socket's reader", errno);
    try {
        return std::unique_ptr<RequestReceiver>(
            new RequestReceiver(std::move(fd), std::move(stop)));
    } catch (const std::system_error& e) {
        return fail("start a thread to read the receiving socket in ns " + ns.name(),
                    e.code().value());
    }
}

RequestReceiver::RequestReceiver(UniqueFd sock, UniqueFd stop)
    : sock_(std::move(sock)), stop_(std::move(stop)), thread_([this] { drain(); }) {}

RequestReceiver::~RequestReceiver() {
    const std::uint64_t one = 1;
    if (::write(stop_.get(), &one, sizeof one) != sizeof one) {
        // An eventfd write fails only on counter overflow; the thread is being told once.
    }
    thread_.join();
}

void RequestReceiver::drain() const {
    std::array<char, 2048> buf;
    for (;;) {
        pollfd p[2] = {{sock_.get(), POLLIN, 0}, {stop_.get(), POLLIN, 0}};
        if (::poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (p[1].revents)
            return;
        while (::recv(sock_.get(), buf.data(), buf.size(), MSG_DONTWAIT) > 0) {
        }
    }
}

} // namespace hm
