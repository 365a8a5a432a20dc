// The choir: every hook that fits a device attached at once; the order they fire in must follow
// the packet's path, the same for every packet, and every voice must pass.
#include "matrix/devices.h"
#include "matrix/features.h"
#include "runners/host_runner.h"
#include "support.h"

#include <algorithm>

namespace hm::test {
namespace {

class Choir : public LeavesHostUnchanged, public ::testing::WithParamInterface<const char*> {};

// a fires before b in the order, both present.
::testing::AssertionResult before(const std::vector<std::string>& order, const char* a,
                                  const char* b) {
    auto ia = std::ranges::find(order, a), ib = std::ranges::find(order, b);
    if (ia == order.end() || ib == order.end())
        return ::testing::AssertionFailure() << a << " or " << b << " missing from the order";
    if (ia < ib)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << a << " fired after " << b;
}

TEST_P(Choir, OrderFollowsThePacketPathAndIsTheSameForEveryPacket) {
    const DeviceSpec* device = find_device(GetParam());
    ASSERT_NE(device, nullptr);
    auto features = running_kernel_features();
    HostRunner runner(*features, {});
    ChoirResult c = runner.run_choir(*device, 20, std::chrono::milliseconds(1000));

    ASSERT_TRUE(c.reason.empty()) << c.reason;
    for (const auto& v : c.voices)
        EXPECT_EQ(v.verdict, Verdict::Pass) << v.hook << ": " << v.reason;
    EXPECT_EQ(c.same_order, 20u);
    EXPECT_TRUE(c.deviations.empty());
    EXPECT_EQ(c.order.size(), c.voices.size());
    // Out through the stack and the device, back in through the device and up the stack.
    const std::vector<std::string>& o = c.order;
    EXPECT_TRUE(before(o, "xt-bpf-output", "tc-egress"));
    EXPECT_TRUE(before(o, "netfilter-local-out", "tc-egress"));
    EXPECT_TRUE(before(o, "tcx-egress", "tc-egress")); // tcx runs ahead of classic tc
    EXPECT_TRUE(before(o, "tc-egress", "xdpdrv"));
    EXPECT_TRUE(before(o, "xdpdrv", "tcx-ingress"));
    EXPECT_TRUE(before(o, "tcx-ingress", "tc-ingress"));
    EXPECT_TRUE(before(o, "tc-ingress", "xt-bpf-input"));
    EXPECT_TRUE(before(o, "xt-bpf-input", "netfilter-local-in")); // iptables at prio 0, us at 1
    if (std::string(GetParam()) == "tap") {
        EXPECT_TRUE(before(o, "tc-egress", "tun-steering"));
        EXPECT_TRUE(before(o, "tun-steering", "xdpdrv"));
    }
}

INSTANTIATE_TEST_SUITE_P(Devices, Choir, ::testing::Values("veth", "tap"));

using LoopbackChoir = LeavesHostUnchanged;

TEST_F(LoopbackChoir, SingsXdpgenericAndHearsTheRequestOnBothSidesOfLo) {
    auto features = running_kernel_features();
    HostRunner runner(*features, {});
    ChoirResult c = runner.run_choir(*find_device("lo"), 10, std::chrono::milliseconds(1000));
    ASSERT_TRUE(c.reason.empty()) << c.reason;
    for (const auto& v : c.voices)
        EXPECT_EQ(v.verdict, Verdict::Pass) << v.hook << ": " << v.reason;
    // lo has no native XDP: the choir sings xdpgeneric there.
    EXPECT_NE(std::ranges::find(c.order, "xdpgeneric"), c.order.end());
    EXPECT_EQ(std::ranges::find(c.order, "xdpdrv"), c.order.end());
    EXPECT_TRUE(before(c.order, "tc-egress", "tc-ingress"));
}

} // namespace
} // namespace hm::test
