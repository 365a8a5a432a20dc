// Each hook of the catalogue, for real on this kernel: topology, probe, attach, echo requests,
// verdict. The host must be unchanged afterwards.
#include "matrix/devices.h"
#include "matrix/enumerate.h"
#include "matrix/features.h"
#include "matrix/hooks.h"
#include "runners/host_runner.h"
#include "support.h"

#include <linux/if_link.h>

#include <algorithm>

namespace hm::test {
namespace {

// Every cell of the default plan: what the kernel has must pass, what it lacks must say so.
std::vector<std::string> default_cells() {
    std::vector<std::string> out;
    if (auto plan = enumerate({}))
        for (const Cell& c : plan->cells)
            out.push_back(std::string(c.hook->name) + "/" + std::string(c.device->name));
    return out;
}

class EachCell : public LeavesHostUnchanged, public ::testing::WithParamInterface<std::string> {};

TEST_P(EachCell, FiresOncePerEchoRequestWithPlausibleLatency) {
    const std::string& id = GetParam();
    const HookSpec* hook = find_hook(id.substr(0, id.find('/')));
    const DeviceSpec* device = find_device(id.substr(id.find('/') + 1));
    ASSERT_NE(hook, nullptr);
    ASSERT_NE(device, nullptr);
    auto features = running_kernel_features();
    HostRunner runner(*features, {.packets = 50});
    CellResult r = runner.run_cell({hook, device, "host"});

    if (!features->hook(*hook).supported || !features->device(*device).supported) {
        EXPECT_EQ(r.verdict, Verdict::Unsupported) << r.reason;
        return;
    }
    EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason << "\n" << r.detail;
    EXPECT_EQ(r.packets_sent, 50u);
    EXPECT_EQ(r.fired, 50u);
    EXPECT_EQ(r.replies, 50u);
    ASSERT_EQ(r.samples_ns.size(), 50u);
    EXPECT_EQ(r.latency.samples, 50u);
    // One way through a device in softirq: more than nothing, far less than a second.
    EXPECT_GT(r.latency.min, 0u);
    EXPECT_LT(r.latency.p50, 1'000'000'000u);
    EXPECT_LE(r.latency.min, r.latency.p50);
    EXPECT_LE(r.latency.p50, r.latency.p99);
    EXPECT_FALSE(r.attachment.empty());
    EXPECT_EQ(r.kernel, running_kernel_release());
}

INSTANTIATE_TEST_SUITE_P(DefaultPlan, EachCell, ::testing::ValuesIn(default_cells()),
                         [](const auto& info) {
                             std::string n = info.param;
                             std::erase(n, '-');
                             std::replace(n.begin(), n.end(), '/', '_');
                             return n;
                         });

// A kernel that "lacks" a hook, as unit tests and other kernels would present it.
class KernelWithout final : public KernelFeatures {
public:
    explicit KernelWithout(std::string_view hook) : missing_(hook) {}
    Support hook(const HookSpec& h) override {
        if (h.name == missing_)
            return {false, "test kernel lacks " + std::string(missing_)};
        return {true, "test kernel has it"};
    }
    Support device(const DeviceSpec&) override { return {true, "test kernel has every device"}; }
    Support xdp_live_frames() override { return {false, "test kernel lacks live frames"}; }

private:
    std::string_view missing_;
};

using Runner = LeavesHostUnchanged;

TEST_F(Runner, HookTheKernelLacks_IsUnsupportedWithTheProbesReason) {
    KernelWithout kernel("tc-ingress");
    HostRunner runner(kernel, {.packets = 5});
    CellResult r = runner.run_cell({find_hook("tc-ingress"), find_device("veth"), "host"});
    EXPECT_EQ(r.verdict, Verdict::Unsupported);
    EXPECT_EQ(r.reason, "test kernel lacks tc-ingress");
    EXPECT_TRUE(r.samples_ns.empty());
}

TEST_F(Runner, ProgramTheVerifierRejects_IsAnErrorCarryingTheVerifierLog) {
    // The skb probe reads __sk_buff fields that a cgroup/sock program may not touch.
    HookSpec bad = *find_hook("tc-ingress");
    bad.name = "tc-ingress-as-cgroup-sock";
    bad.prog_type = BPF_PROG_TYPE_CGROUP_SOCK;
    KernelWithout kernel("none");
    HostRunner runner(kernel, {.packets = 5});
    CellResult r = runner.run_cell({&bad, find_device("veth"), "host"});
    EXPECT_EQ(r.verdict, Verdict::Error);
    EXPECT_NE(r.reason.find("load the probe as cgroup_sock"), std::string::npos) << r.reason;
    EXPECT_NE(r.detail.find("PROG LOAD LOG"), std::string::npos) << r.detail;
}

TEST_F(Runner, HookThatDropsThePackets_FailsBecauseRepliesAreLost) {
    // The probe fires for every request but returns XDP_DROP instead of the pass action.
    HookSpec dropping = *find_hook("xdpgeneric");
    dropping.name = "xdpgeneric-drop";
    dropping.pass_action = XDP_DROP;
    KernelWithout kernel("none");
    HostRunner runner(kernel, {.packets = 10, .reply_timeout = std::chrono::milliseconds(100)});
    CellResult r = runner.run_cell({&dropping, find_device("veth"), "host"});
    EXPECT_EQ(r.verdict, Verdict::Fail) << r.reason;
    EXPECT_EQ(r.fired, 10u);
    EXPECT_EQ(r.replies, 0u);
    EXPECT_NE(r.reason.find("10 echo replies were lost"), std::string::npos) << r.reason;
}

} // namespace
} // namespace hm::test
