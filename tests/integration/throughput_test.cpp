// `hookmatrix bench` end to end on the real kernel: the counter at the hook sees each source's
// frames, results.json carries the figures and the xdpdrv / xdpgeneric ratio per source,
// report.html shows them, diff reads them, a throttled source is flagged as the bottleneck, and
// the host is left as found.
#include "core/spawn.h"
#include "live_frames.h"
#include "matrix/devices.h"
#include "matrix/results/results_json.h"
#include "runners/throughput_cell.h"
#include "support.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

namespace hm::test {
namespace {

namespace fs = std::filesystem;

using Throughput = LeavesHostUnchangedWithTempDir;

std::string read_text(const fs::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// 0 when this kernel runs XDP programs on live frames (live_frames.h); otherwise its errno, said
// on the test's output. Which of a bench test's checks apply to the XDP-frame source follows.
int live_frames_here() {
    const int refused = live_frames_errno();
    if (refused > 0)
        std::cout << "[   NOTE   ] this kernel refuses XDP live frames (BPF_PROG_RUN: "
                  << std::strerror(refused)
                  << "): the XDP-frame source's cells are checked for saying so\n";
    return refused;
}

// The XDP-frame source's cell on a kernel that refuses live frames: it says why, in hookmatrix's
// own words and with the kernel's answer, names the fallback, and measured nothing.
void expect_refused(const ThroughputResult& b, int refused) {
    EXPECT_NE(b.verdict, Verdict::Pass) << b.hook << ": " << b.reason;
    EXPECT_NE(b.reason.find("live frames"), std::string::npos) << b.reason;
    EXPECT_NE(b.reason.find(std::strerror(refused)), std::string::npos) << b.reason;
    EXPECT_NE(b.reason.find("the skb source still runs"), std::string::npos) << b.reason;
    EXPECT_TRUE(b.windows.empty()) << b.hook;
}

TEST_F(Throughput, XdpModesAndTcOnVeth_CountEachSourcesFramesAndWriteTheRatioPerSource) {
    HM_REQUIRE_PREREQUISITES();
    const int refused = live_frames_here();
    ASSERT_GE(refused, 0) << "could not ask the kernel whether it runs live frames";
    auto r = spawn({HOOKMATRIX_BINARY, "bench", "--hooks", "xdpgeneric,xdpdrv,tc-ingress",
                    "--devices", "veth", "--seconds", "0.3", "--windows", "3", "-o",
                    dir_.string()},
                   std::chrono::minutes(4));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
    EXPECT_NE(r->out.find("xdpdrv / xdpgeneric on veth"), std::string::npos) << r->out;

    auto results = read_results_file((dir_ / "results.json").string());
    ASSERT_TRUE(results) << results.error().message();
    EXPECT_TRUE(results->cells.empty());
    // Both sources by default, the XDP-frame source first.
    ASSERT_EQ(results->throughput.size(), 6u);
    for (std::size_t i = 0; i < 6; ++i)
        EXPECT_EQ(results->throughput[i].source, i < 3 ? "xdp" : "skb") << i;
    std::uint64_t in_flight = 256 + 2 * 64 + 64;
    {
        std::ifstream backlog("/proc/sys/net/core/netdev_max_backlog");
        std::uint64_t n = 0;
        ASSERT_TRUE(backlog >> n);
        in_flight += n;
    }
    for (const ThroughputResult& b : results->throughput) {
        const std::string at = b.hook + " (" + b.source + ")";
        if (b.source == "xdp" && refused) {
            expect_refused(b, refused);
            continue;
        }
        EXPECT_EQ(b.verdict, Verdict::Pass) << at << ": " << b.reason;
        EXPECT_EQ(b.action, "drop");
        if (b.source == "xdp") {
            EXPECT_NE(b.method.find("live frames"), std::string::npos) << b.method;
            EXPECT_NE(b.receiver.find("GRO on dut"), std::string::npos) << b.receiver;
        } else {
            EXPECT_NE(b.method.find("af_packet"), std::string::npos) << b.method;
            EXPECT_TRUE(b.receiver.empty()) << b.receiver;
        }
        // The source's ceiling was measured in as many windows, each frame counted.
        ASSERT_EQ(b.ceiling.size(), 3u) << at << ": " << b.ceiling_method;
        for (const ThroughputWindow& w : b.ceiling)
            EXPECT_GT(w.counted, 0u) << at;
        ASSERT_EQ(b.windows.size(), 3u) << at;
        // The hook counts each frame once and only ours: in a window it cannot count more than
        // was sent in it, give or take what was still queued when the window began (the
        // backlog, veth's ring, a batch each side) and a stray neighbour solicitation. No lower
        // bound: on a busy machine the receive path may fall behind and drop from its queues.
        for (const ThroughputWindow& w : b.windows) {
            EXPECT_GT(w.counted, 0u) << at;
            EXPECT_GT(w.sent, 0u) << at;
            EXPECT_LE(w.counted, w.sent + in_flight) << at << ": sent " << w.sent;
        }
        EXPECT_GT(b.pps_median(), 0) << b.hook;
        EXPECT_GT(b.ns_per_packet_median(), 0) << b.hook;
    }
    ASSERT_EQ(results->throughput_ratios.size(), 2u);
    for (const ThroughputRatio& ratio : results->throughput_ratios) {
        if (ratio.source == "xdp" && refused) { // no figure, and a note saying why
            EXPECT_FALSE(ratio.hookmatrix) << *ratio.hookmatrix;
            EXPECT_FALSE(ratio.hookmatrix_note.empty());
            continue;
        }
        EXPECT_EQ(ratio.device, "veth");
        ASSERT_TRUE(ratio.hookmatrix) << ratio.source << ": " << ratio.hookmatrix_note;
        EXPECT_GT(*ratio.hookmatrix, 0);
        ASSERT_TRUE(ratio.xdpdrv_ns && ratio.xdpgeneric_ns) << ratio.source;
        EXPECT_GT(*ratio.xdpdrv_ns, 0);
        EXPECT_FALSE(ratio.difference().empty());
        // xdp-bench gives a ratio or a reason why not; never silence.
        EXPECT_TRUE(ratio.xdp_bench || !ratio.xdp_bench_note.empty());
    }
    EXPECT_EQ(results->throughput_ratios[0].source, "xdp");
    EXPECT_EQ(results->throughput_ratios[1].source, "skb");

    const std::string html = read_text(dir_ / "report.html");
    EXPECT_NE(html.find("Throughput under load"), std::string::npos);
    EXPECT_NE(html.find("xdpdrv / xdpgeneric (hookmatrix)"), std::string::npos);
    EXPECT_NE(html.find("id=\"hm-bench-data\""), std::string::npos);
}

TEST_F(Throughput, PassingCounterOnLo_CountsAndUnsupportedDevicesSayWhy) {
    HM_REQUIRE_PREREQUISITES();
    auto r = spawn({HOOKMATRIX_BINARY, "bench", "--hooks", "tc-ingress", "--devices", "lo,tap",
                    "--source", "skb", "--seconds", "0.2", "--windows", "2", "--action", "pass",
                    "-o", dir_.string()},
                   std::chrono::minutes(2));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
    auto results = read_results_file((dir_ / "results.json").string());
    ASSERT_TRUE(results) << results.error().message();
    ASSERT_EQ(results->throughput.size(), 2u);
    const ThroughputResult& lo = results->throughput[0];
    EXPECT_EQ(lo.device, "lo");
    EXPECT_EQ(lo.verdict, Verdict::Pass) << lo.reason;
    EXPECT_EQ(lo.action, "pass");
    EXPECT_GT(lo.pps_median(), 0);
    const ThroughputResult& tap = results->throughput[1];
    EXPECT_EQ(tap.verdict, Verdict::Unsupported);
    EXPECT_NE(tap.reason.find("tap"), std::string::npos) << tap.reason;
    EXPECT_TRUE(results->throughput_ratios.empty()); // no XDP mode was benchmarked

    // A run compared with itself: every window overlaps, so nothing regressed.
    const std::string file = (dir_ / "results.json").string();
    auto d = spawn({HOOKMATRIX_BINARY, "diff", file, file});
    ASSERT_TRUE(d) << d.error().message();
    EXPECT_EQ(d->exit_code, 0) << d->out << d->err;
    EXPECT_NE(d->out.find("bench: 0 regressions"), std::string::npos) << d->out;
}

// A throttled source is the bottleneck by construction: it sends no faster than its rate with
// the hook after it or without, so the cell's rate and the source's ceiling meet, and the cell
// must say generator-bound. Each source, for the same reason.
TEST_F(Throughput, ThrottledSource_MakesTheCellGeneratorBound) {
    HM_REQUIRE_PREREQUISITES();
    const int refused = live_frames_here();
    ASSERT_GE(refused, 0) << "could not ask the kernel whether it runs live frames";
    auto r = spawn({HOOKMATRIX_BINARY, "bench", "--hooks", "xdpdrv", "--devices", "veth",
                    "--source-max-pps", "20000", "--seconds", "0.4", "--windows", "3",
                    "--no-xdp-bench", "--no-html", "-o", dir_.string()},
                   std::chrono::minutes(2));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
    EXPECT_NE(r->out.find("GENERATOR-BOUND"), std::string::npos) << r->out;
    auto results = read_results_file((dir_ / "results.json").string());
    ASSERT_TRUE(results) << results.error().message();
    ASSERT_EQ(results->throughput.size(), 2u);
    for (const ThroughputResult& b : results->throughput) {
        if (b.source == "xdp" && refused) {
            expect_refused(b, refused);
            continue;
        }
        EXPECT_EQ(b.verdict, Verdict::Pass) << b.source << ": " << b.reason;
        EXPECT_EQ(b.source_max_pps, 20000) << b.source;
        ASSERT_FALSE(b.ceiling.empty()) << b.source << ": " << b.ceiling_method;
        EXPECT_TRUE(b.generator_bound()) << b.source << ": " << b.reason;
        EXPECT_NE(b.reason.find("generator-bound"), std::string::npos) << b.reason;
    }
}

// A kernel without live frames, as a test kernel presents it: the XDP-frame cell says why, names
// the fallback, and builds nothing.
class KernelWithoutLiveFrames final : public KernelFeatures {
public:
    Support hook(const HookSpec&) override { return {true, "test kernel has it"}; }
    Support device(const DeviceSpec&) override { return {true, "test kernel has it"}; }
    Support xdp_live_frames() override {
        return {false, "test kernel cannot run XDP programs on live frames"};
    }
};

TEST_F(Throughput, KernelWithoutLiveFrames_XdpSourceCellIsUnsupportedAndNamesTheSkbFallback) {
    KernelWithoutLiveFrames kernel;
    const ThroughputResult b = run_throughput_cell(
        {find_hook("xdpdrv"), find_device("veth"), "host"}, SourceKind::Xdp, kernel, {}, "test");
    EXPECT_EQ(b.verdict, Verdict::Unsupported);
    EXPECT_EQ(b.source, "xdp");
    EXPECT_EQ(b.reason,
              "test kernel cannot run XDP programs on live frames; the skb source still runs");
    EXPECT_TRUE(b.windows.empty());
}

} // namespace
} // namespace hm::test
