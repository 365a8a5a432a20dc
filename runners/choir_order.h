#pragma once
// What a choir heard, worked out from its observations alone: which hooks sing on a device, the
// order in which they fired along each request and its reply, and, for users' Hello-World
// programs that speak only through trace lines, the order of their lines. Pure: no kernel, so
// every rule is unit-tested (tests/unit/choir_order_test.cpp).
#include "core/trace_instance.h"
#include "hookmatrix/event.h"
#include "matrix/devices.h"
#include "matrix/hooks.h"
#include "matrix/results/result.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
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
    bool user = false; // a user's program writes no events: heard through its trace lines only
    // A user's program: [start, end) of its JIT code. Each hook's program is loaded apart, so
    // each has its own; a trace line whose stack passes through it was printed by this hook.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> code;
};

// A hook heard on a packet other than through a probe event: a trace line of its program.
struct Firing {
    std::uint32_t seq = 0;
    std::uint64_t ts_ns = 0;
    std::uint16_t hook_id = 0;
};

// --trace: the firings of users' programs, from their trace lines. A line is its singer's whose
// `code` holds one of the line's stack addresses (a line without such a frame, as when the
// program runs interpreted or no stack was recorded, is nobody's); it belongs to the last packet
// sent at or before its time.
std::vector<Firing> trace_firings(std::span<const TraceLine> lines,
                                  std::span<const std::uint64_t> send_ns,
                                  std::span<const ChoirSinger> singers);

struct FiringOrder {
    std::vector<std::string> order;         // as most packets heard it
    std::uint32_t same_order = 0;           // packets that heard exactly that order
    std::vector<ChoirDeviation> deviations; // the first `max_deviations` packets that did not
};

// Per packet, each singer's first firing in time order: a probe's first event on the packet it
// listens for, a user's program's first line (`lines`, from trace_firings). The order most
// packets saw (the first such in lexical order on a tie) and the packets that saw another. Lines
// have the trace file's microsecond times: a line and a probe event less than 1 us apart may
// be placed either way.
FiringOrder firing_order(std::span<const hm_event> events, std::span<const ChoirSinger> singers,
                         std::uint32_t packets, std::size_t max_deviations = 10,
                         std::span<const Firing> lines = {});

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
