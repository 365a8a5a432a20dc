#include "runners/topology/netlink.h"
#include "runners/topology/topology.h"

#include <arpa/inet.h>

namespace hm {

namespace {
// Each cell has namespaces of its own, so every cell can use the same link-local /30.
constexpr const char* kNearAddr = "169.254.100.1";
constexpr const char* kFarAddr = "169.254.100.2";

class VethTopology final : public Topology {
public:
    VethTopology(Endpoint near, Endpoint far) : near_(std::move(near)), far_(std::move(far)) {}
    const Endpoint& near() const override { return near_; }
    const Endpoint& far() const override { return far_; }
    std::string describe() const override {
        return "veth " + near_.ifname + " (" + near_.addr_text + ", ns near) <-> " + far_.ifname +
               " (" + far_.addr_text + ", ns far)";
    }

private:
    Endpoint near_, far_;
};

} // namespace

Result<std::unique_ptr<Topology>> build_veth_topology() {
    auto near = Netns::create("near");
    if (!near)
        return std::unexpected(near.error());
    auto far = Netns::create("far");
    if (!far)
        return std::unexpected(far.error());
    {
        auto scope = NetnsScope::enter(*near);
        if (!scope)
            return std::unexpected(scope.error());
        auto sk = nl::open_route_socket();
        if (!sk)
            return std::unexpected(sk.error());
        if (auto ok = nl::add_veth(sk->get(), "dut", "wire", far->fd()); !ok)
            return std::unexpected(ok.error());
    }
    Endpoint n{std::move(*near), "dut"};
    Endpoint f{std::move(*far), "wire"};
    if (auto ok = configure_end(n, kNearAddr); !ok)
        return std::unexpected(ok.error());
    if (auto ok = configure_end(f, kFarAddr); !ok)
        return std::unexpected(ok.error());
    // Both ends up is not yet a working link; see nl::wait_operational.
    if (auto ok = wait_operational({&n, &f}); !ok)
        return std::unexpected(ok.error());
    return std::make_unique<VethTopology>(std::move(n), std::move(f));
}

} // namespace hm
