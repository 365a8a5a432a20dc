#pragma once
// What loads the device under test in `hookmatrix bench`: frames made on the far side as fast as
// one CPU can (or at a set rate), counted as they are handed to the kernel. Two kinds, measured
// apart because the device receives them differently:
//  - skb: AF_PACKET sendmmsg (runners/traffic/packet_blaster.h). The frame reaches the device as
//    an skb, as from a socket or a stack above.
//  - xdp: BPF_PROG_RUN in live-frames mode of a program that redirects out of the far end of the
//    veth pair (runners/traffic/xdp_frame_source.h). The frame reaches the device as an XDP frame,
//    as from a NIC driver or another device's XDP program.
#include "core/error.h"
#include "runners/traffic/endpoint.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace hm {

enum class SourceKind { Xdp, Skb };

std::string_view to_string(SourceKind kind); // "xdp", "skb": results.json's names
std::optional<SourceKind> source_kind(std::string_view name);

struct SourceOptions {
    // At most this many frames a second; none: as fast as the CPU goes. A throttled source is the
    // bottleneck by construction, which is how the generator-bound flag is tested.
    std::optional<double> max_pps;
    // The source alone, for its ceiling: its frames go nowhere. The XDP source's program drops
    // each frame itself; the skb source sends through the qdisc layer (no PACKET_QDISC_BYPASS) so
    // that a tc egress program on its device can take them before the device's xmit.
    bool alone = false;
};

class TrafficSource {
public:
    virtual ~TrafficSource() = default;
    // Starts the generator thread on `cpu`; it sends until stop().
    virtual Status start(int cpu) = 0;
    virtual void stop() = 0;
    // Frames handed to the kernel so far.
    virtual std::uint64_t sent() const = 0;
    // CPU time of the generator thread so far (core/thread_cpu.h), softirq work it raised in its
    // own context included; an Error before start() or after the thread ended.
    virtual Result<std::uint64_t> cpu_ns() const = 0;
    // The error that stopped the generator, empty while there is none.
    virtual std::string error() const = 0;
    virtual std::string describe() const = 0; // the method, for results.json
};

// A source of `kind` on `from`'s device, framing packets to `to` (the device under test; on lo
// both are the same).
Result<std::unique_ptr<TrafficSource>> open_source(SourceKind kind, const Endpoint& from,
                                                   const Endpoint& to,
                                                   const SourceOptions& options = {});

} // namespace hm
