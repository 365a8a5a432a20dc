#include "runners/topology/gro.h"

#include "core/unique_fd.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

namespace hm {

namespace {
int ethtool_value_ioctl(int sock, const std::string& ifname, ethtool_value& value) {
    ifreq req{};
    std::memcpy(req.ifr_name, ifname.c_str(), ifname.size());
    req.ifr_data = reinterpret_cast<char*>(&value);
    return ::ioctl(sock, SIOCETHTOOL, &req);
}
} // namespace

Status enable_gro(const Endpoint& end) {
    if (end.ifname.size() >= IFNAMSIZ)
        return fail("device name " + end.ifname + " is too long", EINVAL);
    const std::string where = end.ifname + " in ns " + end.ns.name();
    auto scope = NetnsScope::enter(end.ns);
    if (!scope)
        return std::unexpected(scope.error());
    // Any socket of the namespace carries the ioctl; it looks the name up there.
    UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock.valid())
        return fail("open a socket in ns " + end.ns.name(), errno);
    ethtool_value set{.cmd = ETHTOOL_SGRO, .data = 1};
    if (ethtool_value_ioctl(sock.get(), end.ifname, set) != 0)
        return fail("turn GRO on at " + where + " (ETHTOOL_SGRO)", errno);
    ethtool_value get{.cmd = ETHTOOL_GGRO, .data = 0};
    if (ethtool_value_ioctl(sock.get(), end.ifname, get) != 0)
        return fail("read GRO back at " + where + " (ETHTOOL_GGRO)", errno);
    if (!get.data)
        return fail("turn GRO on at " + where, 0, "ETHTOOL_SGRO succeeded but GRO reads off");
    return {};
}

} // namespace hm
