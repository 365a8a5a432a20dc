#include "matrix/rules.h"

#include <array>

namespace hm {

namespace {
// A pair is left out only when no kernel could run it: the device's driver lacks the hook by
// design. What a particular kernel lacks is found by probing, never written here.
constexpr std::array kExclusions{
    Exclusion{"xdpdrv", "lo",
              "the loopback driver has no native XDP (no ndo_bpf); use xdpgeneric on lo"},
    Exclusion{"xdpoffload", "!netdevsim",
              "XDP offload needs a device that runs BPF in hardware; here only netdevsim does"},
    // tun implements ndo_bpf and runs native XDP on what is written to it, so xdpdrv stays on tap.
    Exclusion{"tun-steering", "!tap",
              "TUNSETSTEERINGEBPF is an ioctl of tun/tap devices, made on a queue descriptor; "
              "only tap is one"},
};

// "*" is any name, "!x" any name but x, anything else that name alone.
bool matches(std::string_view pattern, std::string_view name) {
    if (pattern.starts_with('!'))
        return pattern.substr(1) != name;
    return pattern == "*" || pattern == name;
}
} // namespace

std::span<const Exclusion> all_exclusions() { return kExclusions; }

std::optional<std::string_view> excluded(const HookSpec& hook, const DeviceSpec& device,
                                         std::span<const Exclusion> rules) {
    for (const auto& r : rules)
        if (matches(r.hook, hook.name) && matches(r.device, device.name))
            return r.reason;
    return std::nullopt;
}

} // namespace hm
