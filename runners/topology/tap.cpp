// A multi-queue tap (tun.ko) in the near namespace, with hookmatrix's own wire behind it playing
// the far host (runners/topology/tap_wire.h). There is no far namespace: frames the device
// transmits are read from its queue descriptors, and frames the wire writes into them are what it
// receives.
//
// The device is created inside the namespace (a tun file belongs to the namespace of the thread
// that opened /dev/net/tun) and is not persistent, so it dies with its last queue descriptor:
// when the Topology is destroyed, or the process is killed.
#include "runners/topology/netlink.h"
#include "runners/topology/tap_wire.h"
#include "runners/topology/topology.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace hm {

namespace {
constexpr const char* kIfname = "dut";
// tun's MAX_TAP_QUEUES; a device steers among its queues only when it has at least two
// (netdev_core_pick_tx calls ndo_select_queue only if real_num_tx_queues != 1).
constexpr long kMaxQueues = 256;
constexpr long kMinQueues = 2;

class TapTopology final : public EndpointPair {
public:
    TapTopology(Endpoint near, Endpoint far, std::unique_ptr<TapWire> wire)
        : EndpointPair(std::move(near), std::move(far)), wire_(std::move(wire)) {}
    std::string describe() const override {
        char mac[18];
        const Mac& m = wire_->mac();
        std::snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
                      m[4], m[5]);
        return "tap " + near_.ifname + " (" + near_.addr_text + ", ns near, " +
               std::to_string(wire_->queue_count()) + " queues) <-> hookmatrix wire (" +
               far_.addr_text + ", " + mac + ")";
    }
    // The far side is the wire, not a namespace: it writes its requests into the tap.
    Result<std::unique_ptr<EchoSender>> sender(Side side) const override {
        if (side == Side::Far)
            return wire_->sender();
        return Topology::sender(side);
    }
    int device_fd() const override { return wire_->queue_fd(0); }

private:
    std::unique_ptr<TapWire> wire_; // last: stops, and closes the queues, first
};

long queue_count() {
    const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
    return std::clamp(cpus, kMinQueues, kMaxQueues);
}

// One queue of the multi-queue tap `name`: the first TUNSETIFF creates the device, each later one
// attaches another queue. O_NONBLOCK matters beyond the wire's poll loop: only for a non-blocking
// write does tun run its XDP program natively, on an xdp_buff around the written bytes before any
// skb exists (tun_can_build_skb, tun_build_skb). A blocking write gets an skb first and the same
// program then runs through do_xdp_generic: xdpdrv still fires, about 1 us later (6.18).
Result<UniqueFd> open_queue(const char* name) {
    UniqueFd fd(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
    if (!fd.valid()) {
        const int err = errno;
        // No device node or no driver behind it: this kernel cannot make a tap (unsupported).
        if (err == ENOENT || err == ENODEV)
            return unsupported(
                "open /dev/net/tun", EOPNOTSUPP,
                "kernel has no tun driver (CONFIG_TUN; modprobe tun if it is a module)");
        return fail("open /dev/net/tun", err);
    }
    ifreq ifr{};
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE;
    std::strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (::ioctl(fd.get(), TUNSETIFF, &ifr) != 0)
        return fail(std::string("TUNSETIFF multi-queue tap ") + name, errno);
    return fd;
}
} // namespace

Result<std::unique_ptr<Topology>> build_tap_topology() {
    auto ns = make_namespaces(/*shared=*/true);
    if (!ns)
        return std::unexpected(ns.error());
    Endpoint near{std::move(ns->near), kIfname};
    std::vector<UniqueFd> queues;
    {
        // The first queue makes the device, in the namespace of the thread that opens it.
        auto scope = NetnsScope::enter(near.ns);
        if (!scope)
            return std::unexpected(scope.error());
        for (long i = 0, n = queue_count(); i < n; ++i) {
            auto q = open_queue(kIfname);
            if (!q)
                return std::unexpected(q.error());
            queues.push_back(std::move(*q));
        }
    }
    if (auto ok = configure_end(near, kNearAddr); !ok)
        return std::unexpected(ok.error());
    // The far endpoint is the wire; its namespace is the near one, held by a second descriptor,
    // so every Endpoint has one. Only sender(Side::Far) acts for it.
    Endpoint far{std::move(ns->far), "wire", 0, {}, kFarAddr};
    ::inet_pton(AF_INET, kFarAddr, &far.addr);
    auto wire = TapWire::start(std::move(queues), far.addr, near.addr);
    if (!wire)
        return std::unexpected(wire.error());
    return std::make_unique<TapTopology>(std::move(near), std::move(far), std::move(*wire));
}

} // namespace hm
