#pragma once
// The device catalogue: the kinds of device under test a topology can be built around.
#include <span>
#include <string_view>

namespace hm {

enum class DeviceKind { Veth, Lo, Netdevsim, Tap };

struct DeviceSpec {
    std::string_view name; // CLI and results.json name
    DeviceKind kind;
    std::string_view summary;
};

std::span<const DeviceSpec> all_devices();
const DeviceSpec* find_device(std::string_view name);

} // namespace hm
