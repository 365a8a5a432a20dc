#include "runners/topology/driver_info.h"

#include "core/unique_fd.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

namespace hm {

Result<DriverInfo> driver_info(const Netns& ns, const std::string& ifname) {
    if (ifname.size() >= IFNAMSIZ)
        return fail("device name " + ifname + " is too long", EINVAL);
    auto scope = NetnsScope::enter(ns);
    if (!scope)
        return std::unexpected(scope.error());
    // Any socket of the namespace carries the ioctl; it looks the name up there.
    UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock.valid())
        return fail("open a socket in ns " + ns.name(), errno);
    ethtool_drvinfo info{};
    info.cmd = ETHTOOL_GDRVINFO;
    ifreq req{};
    std::memcpy(req.ifr_name, ifname.c_str(), ifname.size());
    req.ifr_data = reinterpret_cast<char*>(&info);
    if (::ioctl(sock.get(), SIOCETHTOOL, &req) != 0)
        return fail("ask the driver of " + ifname + " in ns " + ns.name() + " (ETHTOOL_GDRVINFO)",
                    errno);
    auto text = [](const char* field, std::size_t size) {
        return std::string(field, ::strnlen(field, size));
    };
    return DriverInfo{text(info.driver, sizeof info.driver),
                      text(info.bus_info, sizeof info.bus_info)};
}

} // namespace hm
