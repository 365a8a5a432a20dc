#pragma once
// What a choir heard, worked out from its observations alone: which hooks sing on a device, the
// order in which they fired along each request and its reply, and, for users' Hello-World
// programs that speak only through trace lines, the order of their lines. Pure: no kernel, so
// every rule is unit-tested (tests/unit/choir_order_test.cpp).
#include "hookmatrix/event.h"
#include "matrix/devices.h"
#include "matrix/hooks.h"
#include "matrix/results/result.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hm {

// The hooks a choir on `device` sings, in catalogue order: those of `asked` that fit the device.
// Native and generic XDP cannot be active on one device at once, and `xdp` would pick one of them
// again: of the XDP hooks asked for, the choir sings xdpdrv where the device has native XDP
// (`native_xdp`), else xdpgeneric; `xdp` and `xdpoffload` never sing.
std::vector<const HookSpec*> choir_hooks(const DeviceSpec& device, bool native_xdp,
                                         std::span<const HookSpec* const> asked);

// One hook of a choir as the analysis needs it.
struct ChoirSinger {
    std::string hook;
    std::uint16_t id = 0;                // the probe's hook id: its events carry it
    std::uint8_t expected_icmp_type = 0; // the packet it listens for: request or reply
    bool user = false; // a user's program writes no events: it is not in the order
};

struct FiringOrder {
    std::vector<std::string> order;         // as most packets heard it
    std::uint32_t same_order = 0;           // packets that heard exactly that order
    std::vector<ChoirDeviation> deviations; // the first `max_deviations` packets that did not
};

// Per packet, each singer's first firing on the packet it listens for, in time order; the order
// most packets saw (the first such in lexical order on a tie) and the packets that saw another.
FiringOrder firing_order(std::span<const hm_event> events, std::span<const ChoirSinger> singers,
                         std::uint32_t packets, std::size_t max_deviations = 10);

struct TraceOrder {
    std::vector<std::string> order; // the line texts in the order most packets printed them
    // Why the choir fails when a packet has fewer lines than there are users' programs (a line
    // cannot say which program printed it): "packet 3 left 1 trace lines for 2 programs".
    std::optional<std::string> failure;
};

// --trace: each line belongs to the last packet sent at or before its time. `lines` are
// (CLOCK_MONOTONIC ns, text) of hookmatrix's own threads; `users` the users' programs singing.
TraceOrder trace_order(std::span<const std::pair<std::uint64_t, std::string>> lines,
                       std::span<const std::uint64_t> send_ns, std::uint32_t users);

} // namespace hm
