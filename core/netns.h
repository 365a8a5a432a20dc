#pragma once
// Network namespaces held only by a file descriptor: no bind mount under /run/netns, so when the
// last descriptor closes (or the process is killed) the kernel destroys the namespace together
// with every device, address, qdisc, iptables rule and attached program inside it.
#include "core/error.h"
#include "core/unique_fd.h"

#include <string>

namespace hm {

class Netns {
public:
    // A new, empty namespace; the calling thread stays where it was.
    static Result<Netns> create(std::string name);
    // The namespace the calling thread is in now.
    static Result<Netns> current();

    // A second owner of the same namespace (for objects that must re-enter it on destruction).
    Result<Netns> dup() const;

    int fd() const noexcept { return fd_.get(); }
    const std::string& name() const noexcept { return name_; }

private:
    Netns(UniqueFd fd, std::string name) : fd_(std::move(fd)), name_(std::move(name)) {}
    UniqueFd fd_;
    std::string name_;
};

// Moves the calling thread into a namespace and back on destruction. setns() acts per thread,
// so sockets and netlink calls made inside the scope belong to that namespace.
class NetnsScope {
public:
    static Result<NetnsScope> enter(const Netns& ns);
    NetnsScope(NetnsScope&&) noexcept = default;
    NetnsScope& operator=(NetnsScope&&) = delete;
    ~NetnsScope();

private:
    explicit NetnsScope(UniqueFd home) : home_(std::move(home)) {}
    UniqueFd home_;
};

} // namespace hm
