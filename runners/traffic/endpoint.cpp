#include "runners/traffic/endpoint.h"

#include <sys/socket.h>

namespace hm {

Result<UniqueFd> ioctl_socket(const Endpoint& end) {
    auto scope = NetnsScope::enter(end.ns);
    if (!scope)
        return std::unexpected(scope.error());
    UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock.valid())
        return fail("open a socket in ns " + end.ns.name(), errno);
    return sock;
}

} // namespace hm
