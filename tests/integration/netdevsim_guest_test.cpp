// built:netdevsim end to end: the kernel `hookmatrix kernels build` compiles (netdevsim built in,
// two ports linked through /sys/bus/netdevsim/link_device) booted in qemu with this hookmatrix
// inside, every hook on netdevsim. The build takes about half an hour and stays out of CI: this
// test carries the ctest label built-kernel, which the test suite leaves out, and runs with
// `ctest --test-dir build -L built-kernel` after `hookmatrix kernels build`. Without the kernel
// in the cache ($HOOKMATRIX_KERNEL_CACHE or ~/.cache/hookmatrix/kernels) it fails with CI=true,
// like every missing prerequisite, and is skipped otherwise.
#include "core/spawn.h"
#include "matrix/results/results_json.h"
#include "runners/kernels/kernel_cache.h"
#include "support.h"

#include <map>

namespace hm::test {
namespace {

class NetdevsimGuest : public LeavesHostUnchangedWithTempDir {
protected:
    void SetUp() override {
        LeavesHostUnchangedWithTempDir::SetUp();
        auto ref = parse_kernel_ref("built:netdevsim");
        ASSERT_TRUE(ref);
        HM_REQUIRE(cached_kernel(*ref, default_kernel_cache())
                       ? std::string()
                       : "built:netdevsim is not in the kernel cache " +
                             default_kernel_cache().string() +
                             ": run `hookmatrix kernels build` (about 30 minutes) first");
        for (const char* tool : {"qemu-system-x86_64", "busybox"})
            HM_REQUIRE_PROGRAM(tool);
    }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST_F(NetdevsimGuest, EveryHookFiresThroughLinkedPortsAndOffloadedXdpIsAttachedAndVerified) {
    auto r = spawn({HOOKMATRIX_BINARY, "run", "--kernels", "built:netdevsim", "--devices",
                    "netdevsim", "--packets", "20", "-o", dir_.string(), "--no-html",
                    "--no-junit", "--no-markdown"},
                   std::chrono::minutes(20));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
    auto res = read_results_file((dir_ / "results.json").string());
    ASSERT_TRUE(res) << res.error().message();
    ASSERT_EQ(res->run.kernel_runs.size(), 1u);
    EXPECT_TRUE(res->run.kernel_runs[0].error.empty()) << res->run.kernel_runs[0].error;
    EXPECT_TRUE(res->run.kernel_runs[0].release.ends_with("-hookmatrix-netdevsim"))
        << res->run.kernel_runs[0].release;

    // netdevsim binds offloaded programs and accepts native ones but runs neither on its
    // receive path (Linux 6.12): those cells are `attached`, with the proof in the reason.
    const std::map<std::string, std::string> attached{
        {"xdpoffload", "offloaded and verified"}, {"xdpdrv", "nsim_rcv"}, {"xdp", "nsim_rcv"}};
    std::size_t cells = 0;
    for (const CellResult& c : res->cells) {
        ASSERT_EQ(c.device, "netdevsim");
        ++cells;
        if (auto a = attached.find(c.hook); a != attached.end()) {
            EXPECT_EQ(c.verdict, Verdict::Attached) << c.hook << ": " << c.reason;
            EXPECT_TRUE(contains(c.reason, a->second)) << c.hook << ": " << c.reason;
            EXPECT_TRUE(contains(c.reason, "ran for none of 20 packets, and all replies returned"))
                << c.hook << ": " << c.reason;
            continue;
        }
        EXPECT_EQ(c.verdict, Verdict::Pass) << c.hook << ": " << c.reason << "\n" << c.detail;
        EXPECT_EQ(c.samples_ns.size(), 20u) << c.hook;
    }
    // Every hook but tun-steering (tap only).
    EXPECT_EQ(cells, 15u);
    const auto offload = std::ranges::find(res->cells, "xdpoffload", &CellResult::hook);
    ASSERT_NE(offload, res->cells.end());
    EXPECT_TRUE(contains(offload->reason, "hw prog id")) << offload->reason;
    EXPECT_TRUE(contains(offload->attachment, "offload mode")) << offload->attachment;
}

} // namespace
} // namespace hm::test
