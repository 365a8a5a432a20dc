// Users' own objects (--object), the way the classic walk-through built them: SEC("hello"),
// clang -emit-llvm | llc, no BTF. hookmatrix must take them as they are.
#include "matrix/devices.h"
#include "matrix/features.h"
#include "runners/host_runner.h"
#include "support.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace hm::test {
namespace {

const std::string kObjects = HOOKMATRIX_TEST_OBJECTS;

CellResult run_with(const UserObject& obj, const char* hook, const char* device = "veth") {
    auto features = running_kernel_features();
    HostRunner runner(*features, {.packets = 20, .objects = {{"*", obj}}});
    return runner.run_cell({find_hook(hook), find_device(device), "host"});
}

class HelloWorld : public LeavesHostUnchanged, public ::testing::WithParamInterface<const char*> {};

TEST_P(HelloWorld, BuiltWithClangAndLlc_RunsOncePerPacketAtTheHook) {
    const std::string hook = GetParam();
    const bool xdp = hook.starts_with("xdp");
    CellResult r = run_with({kObjects + (xdp ? "/hello_xdp.o" : "/hello.o"), "hello"},
                            GetParam(), hook == "tun-steering" ? "tap" : "veth");
    EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason << "\n" << r.detail;
    EXPECT_EQ(r.fired, 20u);
    EXPECT_EQ(r.replies, 20u);
    EXPECT_NE(r.attachment.find("section hello"), std::string::npos) << r.attachment;
}

// The hooks where hello's return value (0, or XDP_PASS) lets the packet through.
INSTANTIATE_TEST_SUITE_P(Hooks, HelloWorld,
                         ::testing::Values("xdpgeneric", "xdpdrv", "tc-ingress", "tc-egress",
                                           "xt-bpf-input", "xt-bpf-output", "tcx-ingress",
                                           "tcx-egress", "tun-steering", "socket-filter"),
                         [](const auto& info) {
                             std::string n = info.param;
                             std::erase(n, '-');
                             return n;
                         });

class HelloWorldTraced : public LeavesHostUnchanged,
                         public ::testing::WithParamInterface<const char*> {};

TEST_P(HelloWorldTraced, PassesOnItsTraceLinesWithTheLinesStoredInTheCell) {
    const std::string hook = GetParam();
    const bool xdp = hook.starts_with("xdp");
    auto features = running_kernel_features();
    HostRunner runner(*features,
                      {.packets = 20,
                       .objects = {{"*", {kObjects + (xdp ? "/hello_xdp.o" : "/hello.o"), ""}}},
                       .trace = true});
    CellResult r = runner.run_cell(
        {find_hook(GetParam()), find_device(hook == "tun-steering" ? "tap" : "veth"), "host"});
    EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason << "\n" << r.detail;
    EXPECT_EQ(r.fired, 20u);
    ASSERT_EQ(r.samples_ns.size(), 20u);
    EXPECT_GT(r.latency.min, 0u);
    ASSERT_GE(r.trace.size(), 20u);
    EXPECT_NE(r.trace.front().find(": Hello, World!"), std::string::npos) << r.trace.front();
}

INSTANTIATE_TEST_SUITE_P(Hooks, HelloWorldTraced,
                         ::testing::Values("xdpdrv", "tc-ingress", "tc-egress", "xt-bpf-input",
                                           "xt-bpf-output", "tun-steering"),
                         [](const auto& info) {
                             std::string n = info.param;
                             std::erase(n, '-');
                             return n;
                         });

class HelloChoir : public LeavesHostUnchanged, public ::testing::WithParamInterface<const char*> {};

TEST_P(HelloChoir, TheWalkThroughsChoirPassesInTraceModeWithALinePerProgramPerPacket) {
    // The classic walk-through's choir: every hook of its table at once, Hello-World everywhere.
    const bool tap = std::string(GetParam()) == "tap";
    std::vector<const HookSpec*> hooks;
    for (const char* h : {"xdpdrv", "tc-ingress", "tc-egress", "xt-bpf-input", "xt-bpf-output",
                          "tun-steering"})
        hooks.push_back(find_hook(h));
    auto features = running_kernel_features();
    HostRunner runner(*features, {.objects = {{"*", {kObjects + "/hello.o", ""}},
                                              {"xdpdrv", {kObjects + "/hello_xdp.o", "hello"}}},
                                  .trace = true});
    ChoirResult c = runner.run_choir(*find_device(GetParam()), 20, std::chrono::milliseconds(1000),
                                     hooks);
    ASSERT_TRUE(c.reason.empty()) << c.reason;
    ASSERT_EQ(c.voices.size(), tap ? 6u : 5u);
    for (const auto& v : c.voices)
        EXPECT_EQ(v.verdict, Verdict::Pass) << v.hook << ": " << v.reason;
    EXPECT_EQ(c.trace_order, std::vector<std::string>(c.voices.size(), "Hello, World!"));
    // The lines, attributed to the hooks that printed them, give the order of the hooks too.
    EXPECT_EQ(c.order.size(), c.voices.size());
    EXPECT_EQ(c.same_order, 20u);
}

INSTANTIATE_TEST_SUITE_P(Devices, HelloChoir, ::testing::Values("veth", "tap"));

using ChoirTraced = LeavesHostUnchangedWithTempDir;

TEST_F(ChoirTraced, OrderNamesTheHooksAsTheProbesOrderDoes) {
    // One schema for both modes: `order` names the hooks whether the probe sings (events) or
    // users' Hello-World programs do (--trace: lines, each attributed to the hook that printed
    // it); the lines themselves stay in `trace_order`.
    auto choir_of = [&](const std::string& out, std::vector<std::string> extra) {
        std::vector<std::string> args{"run",
                                      "--hooks",
                                      "xdpgeneric,tc-ingress,tc-egress",
                                      "--devices",
                                      "veth",
                                      "--packets",
                                      "20",
                                      "--choir",
                                      "-o",
                                      (dir_ / out).string()};
        args.insert(args.end(), extra.begin(), extra.end());
        auto r = hookmatrix(args);
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
        std::ifstream f(dir_ / out / "results.json");
        auto doc = nlohmann::json::parse(f, nullptr, false);
        EXPECT_FALSE(doc.is_discarded());
        return doc.is_discarded() ? nlohmann::json() : doc["choirs"][0];
    };
    const nlohmann::json probes = choir_of("probes", {});
    const nlohmann::json traced =
        choir_of("traced", {"--object", kObjects + "/hello.o", "--object",
                            "xdpgeneric=" + kObjects + "/hello_xdp.o", "--trace"});
    ASSERT_TRUE(probes.is_object() && traced.is_object());
    const std::vector<std::string> path{"tc-egress", "xdpgeneric", "tc-ingress"};
    EXPECT_EQ(probes["order"].get<std::vector<std::string>>(), path) << probes.dump();
    EXPECT_EQ(traced["order"].get<std::vector<std::string>>(), path) << traced.dump();
    EXPECT_EQ(traced["same_order"], 20) << traced.dump();
    EXPECT_EQ(traced["trace_order"].get<std::vector<std::string>>(),
              std::vector<std::string>(3, "Hello, World!"));
    EXPECT_TRUE(probes["trace_order"].empty());
}

using UserObjects = LeavesHostUnchanged;

TEST_F(UserObjects, TraceModeWithAProgramThatPrintsNothing_FailsForEveryPacket) {
    // The probe build is no user's trace program: a --trace cell with an object that never calls
    // bpf_trace_printk must not pass on its run counter.
    auto features = running_kernel_features();
    HostRunner runner(*features, {.packets = 10,
                                  .objects = {{"*", {kObjects + "/silent.o", ""}}},
                                  .trace = true});
    CellResult r = runner.run_cell({find_hook("tc-ingress"), find_device("veth"), "host"});
    EXPECT_EQ(r.verdict, Verdict::Fail) << r.reason;
    EXPECT_EQ(r.reason, "no trace line from the program for any of 10 packets");
    EXPECT_TRUE(r.trace.empty());
}

TEST_F(UserObjects, ProgramReturningDropAtCgroupSkb_FailsBecauseRepliesAreLost) {
    // 0 from a cgroup_skb egress program drops the packet: the program ran, nothing got out.
    CellResult r = run_with({kObjects + "/hello.o", ""}, "cgroup-skb-egress");
    EXPECT_EQ(r.verdict, Verdict::Fail) << r.reason;
    EXPECT_EQ(r.replies, 0u);
    EXPECT_NE(r.reason.find("echo replies were lost"), std::string::npos) << r.reason;
}

TEST_F(UserObjects, UnknownSection_IsAnErrorListingTheObjectsSections) {
    CellResult r = run_with({kObjects + "/hello.o", "goodbye"}, "tc-ingress");
    EXPECT_EQ(r.verdict, Verdict::Error);
    EXPECT_NE(r.reason.find("no program in section or named 'goodbye'"), std::string::npos)
        << r.reason;
    EXPECT_NE(r.detail.find("hello (_hello)"), std::string::npos) << r.detail;
}

TEST_F(UserObjects, ProgramTheVerifierRejects_IsAnErrorWithTheVerifierLog) {
    CellResult r = run_with({kObjects + "/bad.o", ""}, "tc-ingress");
    EXPECT_EQ(r.verdict, Verdict::Error) << r.reason;
    EXPECT_NE(r.reason.find("load " + kObjects + "/bad.o section bad as sched_cls"),
              std::string::npos)
        << r.reason;
    EXPECT_NE(r.detail.find("invalid bpf_context access"), std::string::npos) << r.detail;
}

} // namespace
} // namespace hm::test
