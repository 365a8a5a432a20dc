// The tap device and its wire, and the tun-steering hook, for real on this kernel. Every other
// hook on tap runs in hooks_test.cpp (EachCell covers every cell of the default plan).
#include "matrix/devices.h"
#include "matrix/enumerate.h"
#include "matrix/features.h"
#include "matrix/hooks.h"
#include "runners/attach/attacher.h"
#include "runners/programs/event_table.h"
#include "runners/host_runner.h"
#include "runners/programs/probe.h"
#include "runners/programs/program.h"
#include "runners/topology/topology.h"
#include "support.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

namespace hm::test {
namespace {

using Tap = LeavesHostUnchanged;

constexpr std::uint32_t kMagic = 0x74617031; // "tap1"

// A fresh device drops what it transmits until linkwatch has activated its qdisc (up to a second
// when many links change, more on a busy machine): ask until an answer comes, for up to 15 s, like
// the runner's warm-up.
bool echo_answered(EchoSender& sender, in_addr to, std::uint16_t ident) {
    for (std::uint32_t seq = 0; seq < 150; ++seq) {
        auto sent = sender.send_request(to, ident, kMagic, seq);
        EXPECT_TRUE(sent) << sent.error().message() << "\n" << sent.error().detail;
        if (!sent)
            return false;
        if (sender.wait_reply(ident, kMagic, seq, std::chrono::milliseconds(100)))
            return true;
    }
    return false;
}

TEST_F(Tap, TapWire_AnswersPingFromNear) {
    auto topo = build_tap_topology();
    ASSERT_TRUE(topo) << topo.error().message() << "\n" << topo.error().detail;
    EXPECT_EQ((*topo)->near().ifname, "dut");
    EXPECT_EQ((*topo)->near().addr_text, "169.254.100.1");
    EXPECT_EQ((*topo)->far().addr_text, "169.254.100.2");
    EXPECT_GE((*topo)->device_fd(), 0);
    auto sock = (*topo)->sender(Side::Near);
    ASSERT_TRUE(sock) << sock.error().message();
    EXPECT_TRUE(echo_answered(**sock, (*topo)->far().addr, 0x4d31))
        << "no echo reply from the wire behind " << (*topo)->describe();
}

TEST_F(Tap, TapWire_OriginatesPingThatNearAnswers) {
    auto topo = build_tap_topology();
    ASSERT_TRUE(topo) << topo.error().message() << "\n" << topo.error().detail;
    auto wire = (*topo)->sender(Side::Far);
    ASSERT_TRUE(wire) << wire.error().message();
    EXPECT_TRUE(echo_answered(**wire, (*topo)->near().addr, 0x4d32))
        << "no echo reply from near to the wire of " << (*topo)->describe();
}

TEST_F(Tap, TapTopology_HasAQueuePerCpuAndAtLeastTwo) {
    auto topo = build_tap_topology();
    ASSERT_TRUE(topo) << topo.error().message();
    const std::string d = (*topo)->describe();
    const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
    const long want = std::max(2L, std::min(cpus, 256L));
    EXPECT_NE(d.find(std::to_string(want) + " queues"), std::string::npos) << d;
}

TEST_F(Tap, TunSteering_FiresOncePerEchoRequest) {
    auto features = running_kernel_features();
    HostRunner runner(*features, {.packets = 50});
    CellResult r = runner.run_cell({find_hook("tun-steering"), find_device("tap"), "host"});
    EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason << "\n" << r.detail;
    EXPECT_EQ(r.packets_sent, 50u);
    EXPECT_EQ(r.fired, 50u);
    EXPECT_EQ(r.replies, 50u);
    EXPECT_EQ(r.samples_ns.size(), 50u);
    EXPECT_GT(r.latency.min, 0u);
    EXPECT_LT(r.latency.p50, 1'000'000'000u);
    EXPECT_NE(r.attachment.find("TUNSETSTEERINGEBPF"), std::string::npos) << r.attachment;
}

TEST_F(Tap, TunSteering_OnADeviceWithoutAQueue_IsUnsupported) {
    // What the runner would meet if the rules let tun-steering onto veth.
    auto topo = build_veth_topology();
    ASSERT_TRUE(topo) << topo.error().message();
    EXPECT_EQ((*topo)->device_fd(), -1);
    auto table = EventTable::create();
    ASSERT_TRUE(table) << table.error().message();
    const HookSpec& hook = *find_hook("tun-steering");
    auto program =
        load_probe(hook, {.hook_id = 1, .magic = kMagic, .events_fd = (*table)->map_fd()});
    ASSERT_TRUE(program) << program.error().message() << "\n" << program.error().detail;
    const Endpoint& near = (*topo)->near();
    auto a = attacher_for(hook.family)
                 .attach({.ns = near.ns,
                          .ifname = near.ifname,
                          .ifindex = near.ifindex,
                          .device_fd = (*topo)->device_fd()},
                         hook, **program);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().err, EOPNOTSUPP) << a.error().message();
    EXPECT_NE(a.error().detail.find("ioctl of tun/tap devices"), std::string::npos)
        << a.error().detail;
}

TEST(TunSteeringRules, TunSteering_OnVethIsExcludedWithReason) {
    auto plan = enumerate({.hooks = {"tun-steering"}, .devices = {"veth", "lo", "tap"}});
    ASSERT_TRUE(plan) << plan.error().message();
    ASSERT_EQ(plan->cells.size(), 1u);
    EXPECT_EQ(plan->cells[0].id(), "tun-steering/tap@host");
    ASSERT_EQ(plan->excluded.size(), 2u);
    for (const auto& x : plan->excluded) {
        EXPECT_TRUE(x.cell.device->name == "veth" || x.cell.device->name == "lo") << x.cell.id();
        EXPECT_NE(x.reason.find("TUNSETSTEERINGEBPF is an ioctl of tun/tap devices"),
                  std::string::npos)
            << x.reason;
    }
}

TEST(TapRules, EveryOtherHookIsPlannedOnTap) {
    // tun has native XDP (ndo_bpf), so xdpdrv stays; only hooks for other hardware are left out.
    auto plan = enumerate({.devices = {"tap"}});
    ASSERT_TRUE(plan) << plan.error().message();
    std::vector<std::string> planned;
    for (const auto& c : plan->cells)
        planned.push_back(std::string(c.hook->name));
    for (auto name :
         {"xdpgeneric", "xdpdrv", "tc-ingress", "tc-egress", "xt-bpf-input", "xt-bpf-output",
          "tcx-ingress", "tcx-egress", "netfilter-local-in", "netfilter-local-out", "tun-steering"})
        EXPECT_NE(std::ranges::find(planned, name), planned.end()) << name;
}

} // namespace
} // namespace hm::test
