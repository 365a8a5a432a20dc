#pragma once
// The socket that socket-level hooks (a socket filter, cgroup_skb ingress) run for: a raw ICMP
// socket in a namespace, which the kernel hands a copy of every echo request arriving there.
#include "core/error.h"
#include "core/netns.h"
#include "core/unique_fd.h"

#include <memory>
#include <thread>

namespace hm {

// Owns the socket and a thread that reads and discards everything queued on it. The queue must
// never fill: raw_v4_input() drops a copy for a socket whose receive buffer is full before the
// copy reaches sk_filter() (Linux 6.18 does), so neither a socket filter nor cgroup_skb ingress
// would run for it, and the hook would look as if it missed packets.
class RequestReceiver {
public:
    // A raw ICMP socket in `ns` that receives echo requests only (ICMP_FILTER), created in
    // cgroup `cgroup_fd` when that is not -1.
    // `with_replies`: let echo replies in too (ICMP_FILTER otherwise keeps them out before any
    // hook on the socket runs).
    static Result<std::unique_ptr<RequestReceiver>> open(const Netns& ns, int cgroup_fd = -1,
                                                         bool with_replies = false);
    ~RequestReceiver(); // stops and joins the thread, then closes the socket

    int fd() const noexcept { return sock_.get(); }

private:
    RequestReceiver(UniqueFd sock, UniqueFd stop);
    void drain() const;

    UniqueFd sock_;
    UniqueFd stop_; // an eventfd: readable once the thread must end
    std::thread thread_;
};

} // namespace hm
