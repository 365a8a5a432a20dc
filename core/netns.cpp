#include "core/netns.h"

#include <fcntl.h>
#include <sched.h>

#include <cstdio>
#include <cstdlib>

namespace hm {

namespace {
Result<UniqueFd> open_thread_netns() {
    UniqueFd fd(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!fd.valid())
        return fail("open /proc/thread-self/ns/net", errno);
    return fd;
}
} // namespace

Result<Netns> Netns::current() {
    auto fd = open_thread_netns();
    if (!fd)
        return std::unexpected(fd.error());
    return Netns(std::move(*fd), "current");
}

Result<Netns> Netns::create(std::string name) {
    auto home = open_thread_netns();
    if (!home)
        return std::unexpected(home.error());
    if (::unshare(CLONE_NEWNET) != 0)
        return fail("create network namespace " + name, errno,
                    "hookmatrix needs root (CAP_SYS_ADMIN)");
    auto fresh = open_thread_netns();
    if (::setns(home->get(), CLONE_NEWNET) != 0) {
        // The thread is stranded in the new namespace; nothing later can be trusted.
        std::perror("hookmatrix: cannot return to the original network namespace");
        std::abort();
    }
    if (!fresh)
        return std::unexpected(fresh.error());
    return Netns(std::move(*fresh), std::move(name));
}

Result<Netns> Netns::dup() const {
    UniqueFd fd(::fcntl(fd_.get(), F_DUPFD_CLOEXEC, 0));
    if (!fd.valid())
        return fail("duplicate the descriptor of namespace " + name_, errno);
    return Netns(std::move(fd), name_);
}

Result<NetnsScope> NetnsScope::enter(const Netns& ns) {
    auto home = open_thread_netns();
    if (!home)
        return std::unexpected(home.error());
    if (::setns(ns.fd(), CLONE_NEWNET) != 0)
        return fail("enter network namespace " + ns.name(), errno);
    return NetnsScope(std::move(*home));
}

NetnsScope::~NetnsScope() {
    if (home_.valid() && ::setns(home_.get(), CLONE_NEWNET) != 0) {
        std::perror("hookmatrix: cannot return to the original network namespace");
        std::abort();
    }
}

} // namespace hm
