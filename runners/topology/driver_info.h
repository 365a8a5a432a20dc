#pragma once
// Which driver runs a network device, as `ethtool -i` says: the SIOCETHTOOL ETHTOOL_GDRVINFO
// ioctl. A driver without its own answer (netdevsim) gets the kernel's: the name of the driver
// bound to the device's parent, and the parent's name as the bus address ("netdevsim7").
#include "core/error.h"
#include "core/netns.h"

#include <string>

namespace hm {

struct DriverInfo {
    std::string driver;   // "veth", "tun", "netdevsim"
    std::string bus_info; // "netdevsim7"; empty for most virtual devices
};

// For `ifname` in `ns`.
Result<DriverInfo> driver_info(const Netns& ns, const std::string& ifname);

} // namespace hm
