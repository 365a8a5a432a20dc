#include "matrix/devices.h"

#include <algorithm>
#include <array>

namespace hm {

namespace {
constexpr std::array kDevices{
    DeviceSpec{"veth", DeviceKind::Veth,
               "veth pair: the device under test in the near namespace, its peer in the far one"},
    DeviceSpec{"lo", DeviceKind::Lo,
               "the loopback device of a fresh namespace; sender and device share it"},
    DeviceSpec{"tap", DeviceKind::Tap,
               "multi-queue tun/tap device (a queue per CPU) in the near namespace; hookmatrix's "
               "own wire behind it plays the far host"},
    DeviceSpec{"netdevsim", DeviceKind::Netdevsim,
               "netdevsim ports in near and far, linked through /sys/bus/netdevsim; the device "
               "for XDP offload"},
};
} // namespace

std::span<const DeviceSpec> all_devices() { return kDevices; }

const DeviceSpec* find_device(std::string_view name) {
    auto it = std::ranges::find(kDevices, name, &DeviceSpec::name);
    return it == kDevices.end() ? nullptr : &*it;
}

} // namespace hm
