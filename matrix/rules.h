#pragma once
// Matrix rules: which (hook, device) pairs are meaningful. Data, each exclusion with its reason,
// so `hookmatrix list` can say why a cell is absent.
#include "matrix/devices.h"
#include "matrix/hooks.h"

#include <optional>
#include <span>
#include <string_view>

namespace hm {

struct Exclusion {
    std::string_view hook;   // a hook name, "*" for any, "!name" for any but that one
    std::string_view device; // a device name, "*" or "!name" likewise
    std::string_view reason;
};

std::span<const Exclusion> all_exclusions();

// The reason a pair is not meaningful, or nothing when it is.
std::optional<std::string_view> excluded(const HookSpec& hook, const DeviceSpec& device,
                                         std::span<const Exclusion> rules = all_exclusions());

} // namespace hm
