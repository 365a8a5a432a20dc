#include "runners/topology/netlink.h"
#include "runners/topology/topology.h"

#include <arpa/inet.h>

namespace hm {

namespace {
class VethTopology final : public EndpointPair {
public:
    using EndpointPair::EndpointPair;
    std::string describe() const override {
        return "veth " + near_.ifname + " (" + near_.addr_text + ", ns near) <-> " + far_.ifname +
               " (" + far_.addr_text + ", ns far)";
    }
};

} // namespace

Result<std::unique_ptr<Topology>> build_veth_topology() {
    auto ns = make_namespaces(/*shared=*/false);
    if (!ns)
        return std::unexpected(ns.error());
    {
        auto scope = NetnsScope::enter(ns->near);
        if (!scope)
            return std::unexpected(scope.error());
        auto sk = nl::open_route_socket();
        if (!sk)
            return std::unexpected(sk.error());
        if (auto ok = nl::add_veth(sk->get(), "dut", "wire", ns->far.fd()); !ok)
            return std::unexpected(ok.error());
    }
    Endpoint n{std::move(ns->near), "dut"};
    Endpoint f{std::move(ns->far), "wire"};
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
