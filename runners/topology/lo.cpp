// The loopback device of a fresh namespace. There is no far side: the sender and the device under
// test share the namespace, and every packet crosses lo twice (out, then in), so both egress and
// ingress hooks see each request. far() is the same namespace, held by a second descriptor.
#include "runners/topology/netlink.h"
#include "runners/topology/topology.h"

#include <arpa/inet.h>

namespace hm {

namespace {
constexpr const char* kAddr = "169.254.100.1";

class LoTopology final : public Topology {
public:
    LoTopology(Endpoint near, Endpoint far) : near_(std::move(near)), far_(std::move(far)) {}
    const Endpoint& near() const override { return near_; }
    const Endpoint& far() const override { return far_; }
    bool loopback() const override { return true; }
    std::string describe() const override {
        return "lo (" + near_.addr_text + ", ns near), sender in the same namespace";
    }

private:
    Endpoint near_, far_;
};
} // namespace

Result<std::unique_ptr<Topology>> build_lo_topology() {
    auto ns = Netns::create("near");
    if (!ns)
        return std::unexpected(ns.error());
    auto same = ns->dup();
    if (!same)
        return std::unexpected(same.error());
    Endpoint near{std::move(*ns), "lo"};
    {
        auto scope = NetnsScope::enter(near.ns);
        if (!scope)
            return std::unexpected(scope.error());
        auto sk = nl::open_route_socket();
        if (!sk)
            return std::unexpected(sk.error());
        auto idx = nl::ifindex(sk->get(), "lo");
        if (!idx)
            return std::unexpected(idx.error());
        if (auto up = nl::set_up(sk->get(), "lo"); !up)
            return std::unexpected(up.error());
        // A link-local address of our own rather than 127.0.0.1, like every other topology.
        if (auto a = nl::add_address(sk->get(), *idx, std::string(kAddr) + "/32"); !a)
            return std::unexpected(a.error());
        near.ifindex = *idx;
    }
    near.addr_text = kAddr;
    ::inet_pton(AF_INET, kAddr, &near.addr);
    Endpoint far{std::move(*same), "lo", near.ifindex, near.addr, near.addr_text};
    return std::make_unique<LoTopology>(std::move(near), std::move(far));
}

} // namespace hm
