#pragma once
// A cell: one hook on one device on one kernel, the unit hookmatrix runs and reports.
#include "matrix/devices.h"
#include "matrix/hooks.h"

#include <cstdint>
#include <optional>
#include <string>

namespace hm {

// What a spec may set per cell; unset values fall back to the run's.
struct CellSettings {
    std::optional<std::uint32_t> packets;
    std::optional<std::uint32_t> reply_timeout_ms;
};

struct Cell {
    const HookSpec* hook;
    const DeviceSpec* device;
    std::string kernel; // "host" for the running kernel
    CellSettings settings{};

    std::string id() const; // "xdpdrv/veth@host"
};

} // namespace hm
