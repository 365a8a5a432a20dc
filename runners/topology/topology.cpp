#include "runners/topology/topology.h"

#include "runners/topology/netlink.h"

#include <arpa/inet.h>

namespace hm {

Result<std::unique_ptr<EchoSender>> Topology::sender(Side side) const {
    auto sock = EchoSocket::open(end(side).ns);
    if (!sock)
        return std::unexpected(sock.error());
    return std::unique_ptr<EchoSender>(std::move(*sock));
}

Result<std::unique_ptr<EchoSender>> Topology::sender(Side side, int cgroup_fd) const {
    if (cgroup_fd < 0)
        return sender(side);
    auto sock = EchoSocket::open(end(side).ns, cgroup_fd);
    if (!sock)
        return std::unexpected(sock.error());
    return std::unique_ptr<EchoSender>(std::move(*sock));
}

Result<Namespaces> make_namespaces(bool shared) {
    auto near = Netns::create("near");
    if (!near)
        return std::unexpected(near.error());
    auto far = shared ? near->dup() : Netns::create("far");
    if (!far)
        return std::unexpected(far.error());
    return Namespaces{std::move(*near), std::move(*far)};
}

Status configure_end(Endpoint& end, const char* addr, int prefix_len) {
    auto scope = NetnsScope::enter(end.ns);
    if (!scope)
        return std::unexpected(scope.error());
    auto sk = nl::open_route_socket();
    if (!sk)
        return std::unexpected(sk.error());
    auto idx = nl::ifindex(sk->get(), end.ifname);
    if (!idx)
        return std::unexpected(idx.error());
    end.ifindex = *idx;
    end.addr_text = addr;
    ::inet_pton(AF_INET, addr, &end.addr);
    for (const char* step : {"lo", end.ifname.c_str()})
        if (auto up = nl::set_up(sk->get(), step); !up)
            return up;
    return nl::add_address(sk->get(), end.ifindex,
                           std::string(addr) + "/" + std::to_string(prefix_len));
}

Status wait_operational(std::initializer_list<const Endpoint*> ends) {
    for (const Endpoint* end : ends) {
        auto scope = NetnsScope::enter(end->ns);
        if (!scope)
            return std::unexpected(scope.error());
        auto sk = nl::open_route_socket();
        if (!sk)
            return std::unexpected(sk.error());
        if (auto ok = nl::wait_operational(sk->get(), end->ifname, std::chrono::seconds(5)); !ok)
            return ok;
    }
    return {};
}

Result<std::unique_ptr<Topology>> build_topology(const DeviceSpec& device) {
    switch (device.kind) {
    case DeviceKind::Veth: return build_veth_topology();
    case DeviceKind::Lo: return build_lo_topology();
    case DeviceKind::Tap: return build_tap_topology();
    // Reached only on kernels with netdevsim (the feature probe says unsupported otherwise).
    case DeviceKind::Netdevsim: return build_netdevsim_topology();
    }
    return unsupported("no topology builder for device " + std::string(device.name));
}

} // namespace hm
