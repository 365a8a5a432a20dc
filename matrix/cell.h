#pragma once
// A cell: one hook on one device on one kernel, the unit hookmatrix runs and reports.
#include "matrix/devices.h"
#include "matrix/hooks.h"

#include <cstdint>
#include <optional>
#include <string>

namespace hm {

// The one place of each default: what a cell uses when neither the spec nor the command line
// says otherwise.
inline constexpr std::uint32_t kDefaultPackets = 100;        // echo requests per cell
inline constexpr std::uint32_t kDefaultReplyTimeoutMs = 1000; // wait for each echo reply
// Bounds, from the spec and the command line alike. A cell keeps every packet's latency (8 bytes
// each, in memory and in results.json), and a lost reply costs a whole timeout per packet.
inline constexpr std::uint32_t kMaxPackets = 1'000'000;
inline constexpr std::uint32_t kMaxReplyTimeoutMs = 60'000;

// What a spec may set per cell; unset values fall back to the run's, then to the defaults.
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
