#pragma once
// A topology: the device under test (DUT) in a "near" namespace and whatever sits on its other
// side in a "far" namespace, both made by hookmatrix and owned only by descriptors, so destroying
// the Topology (or the process dying) destroys everything in it.
#include "core/error.h"
#include "core/netns.h"
#include "matrix/devices.h"
#include "runners/traffic/endpoint.h"
#include "runners/traffic/icmp_echo.h"

#include <netinet/in.h>

#include <initializer_list>
#include <memory>
#include <string>

namespace hm {

enum class Side { Near, Far };

class Topology {
public:
    virtual ~Topology() = default;
    virtual const Endpoint& near() const = 0; // holds the device under test
    virtual const Endpoint& far() const = 0;
    virtual std::string describe() const = 0;
    const Endpoint& end(Side side) const { return side == Side::Near ? near() : far(); }

    // What sends echo requests from `side` to the other one. By default a raw socket in that
    // side's namespace; a device whose far side is not a namespace (a tap's wire) overrides it.
    virtual Result<std::unique_ptr<EchoSender>> sender(Side side) const;
    // The same, but when `cgroup_fd` is not -1 a raw socket in that side's namespace charged to
    // that cgroup (core/cgroup.h), for hooks that run for the packets a cgroup's sockets send.
    Result<std::unique_ptr<EchoSender>> sender(Side side, int cgroup_fd) const;

    // A descriptor through which the device is driven (a tap's first queue), for hooks that are
    // ioctls on it (TUNSETSTEERINGEBPF); -1 when the device has none.
    virtual int device_fd() const { return -1; }

    // True when near and far are one namespace (lo): every packet then crosses the device's
    // egress and its ingress, the request as well as the reply.
    virtual bool loopback() const { return false; }
};

Result<std::unique_ptr<Topology>> build_topology(const DeviceSpec& device);

// Every topology's addresses: each cell has namespaces of its own, so every cell can use the same
// link-local /30 (lo holds the near address alone).
inline constexpr const char* kNearAddr = "169.254.100.1";
inline constexpr const char* kFarAddr = "169.254.100.2";

// What every builder's topology holds: its two endpoints.
class EndpointPair : public Topology {
public:
    EndpointPair(Endpoint near, Endpoint far) : near_(std::move(near)), far_(std::move(far)) {}
    const Endpoint& near() const override { return near_; }
    const Endpoint& far() const override { return far_; }

protected:
    Endpoint near_, far_;
};

// The namespaces "near" and "far" of a new topology; `shared` (lo, tap, where nothing but
// hookmatrix sits on the far side): one namespace, held by two descriptors, so every Endpoint
// has one.
struct Namespaces {
    Netns near, far;
};
Result<Namespaces> make_namespaces(bool shared);

// Waits (up to 5 s each) until every endpoint's device is operationally up: both ends up is
// not yet a working link (nl::wait_operational).
Status wait_operational(std::initializer_list<const Endpoint*> ends);

// Inside the endpoint's namespace: lo up, its device up with `addr`/`prefix_len` (link-local);
// fills the endpoint's ifindex and address.
Status configure_end(Endpoint& end, const char* addr, int prefix_len = 30);

// One kind of device per builder.
Result<std::unique_ptr<Topology>> build_veth_topology();
Result<std::unique_ptr<Topology>> build_lo_topology();
Result<std::unique_ptr<Topology>> build_tap_topology();
// Needs a kernel with netdevsim whose ports can be linked (6.9+); runners/topology/netdevsim.cpp.
Result<std::unique_ptr<Topology>> build_netdevsim_topology();

} // namespace hm
