// The loopback device of a fresh namespace. There is no far side: the sender and the device under
// test share the namespace, and every packet crosses lo twice (out, then in), so both egress and
// ingress hooks see each request. far() is the same namespace, held by a second descriptor.
#include "runners/topology/topology.h"

namespace hm {

namespace {
class LoTopology final : public EndpointPair {
public:
    using EndpointPair::EndpointPair;
    bool loopback() const override { return true; }
    std::string describe() const override {
        return "lo (" + near_.addr_text + ", ns near), sender in the same namespace";
    }
};
} // namespace

Result<std::unique_ptr<Topology>> build_lo_topology() {
    auto ns = make_namespaces(/*shared=*/true);
    if (!ns)
        return std::unexpected(ns.error());
    Endpoint near{std::move(ns->near), "lo"};
    // A link-local address of our own rather than 127.0.0.1, like every other topology.
    if (auto ok = configure_end(near, kNearAddr, 32); !ok)
        return std::unexpected(ok.error());
    Endpoint far{std::move(ns->far), "lo", near.ifindex, near.addr, near.addr_text};
    return std::make_unique<LoTopology>(std::move(near), std::move(far));
}

} // namespace hm
