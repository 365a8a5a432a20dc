#pragma once
// The one frame `hookmatrix bench` sends, whatever the source: 60 bytes on the wire without FCS
// (the Ethernet minimum, so the per-packet cost dominates), UDP from `from` to `to`'s address and
// MAC address, port 9 (discard), no UDP checksum.
#include "core/error.h"
#include "runners/traffic/endpoint.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hm {

inline constexpr std::size_t kBenchFrameBytes = 60;

// Reads both devices' MAC addresses in their namespaces.
Result<std::vector<std::uint8_t>> bench_frame(const Endpoint& from, const Endpoint& to);

} // namespace hm
