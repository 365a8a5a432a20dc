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
    auto sock = ioctl_socket(end);
    if (!sock)
        return std::unexpected(sock.error());
    ethtool_value set{.cmd = ETHTOOL_SGRO, .data = 1};
    if (ethtool_value_ioctl(sock->get(), end.ifname, set) != 0)
        return fail("turn GRO on at " + where + " (ETHTOOL_SGRO)", errno);
    ethtool_value get{.cmd = ETHTOOL_GGRO, .data = 0};
    if (ethtool_value_ioctl(sock->get(), end.ifname, get) != 0)
        return fail("read GRO back at " + where + " (ETHTOOL_GGRO)", errno);
    if (!get.data)
        return fail("turn GRO on at " + where, 0, "ETHTOOL_SGRO succeeded but GRO reads off");
    return {};
}

} // namespace hm
