// `hookmatrix bench` end to end on the real kernel: the counter at the hook sees the generator's
// frames, results.json carries the figures and the xdpdrv / xdpgeneric ratio, report.html shows
// them, diff reads them, and the host is left as found.
#include "core/spawn.h"
#include "matrix/results/results_json.h"
#include "support.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace hm::test {
namespace {

namespace fs = std::filesystem;

using Throughput = LeavesHostUnchangedWithTempDir;

std::string read_text(const fs::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(Throughput, XdpModesAndTcOnVeth_CountTheGeneratorsFramesAndWriteTheRatio) {
    HM_REQUIRE_PREREQUISITES();
    auto r = spawn({HOOKMATRIX_BINARY, "bench", "--hooks", "xdpgeneric,xdpdrv,tc-ingress",
                    "--devices", "veth", "--seconds", "0.3", "--windows", "3", "-o",
                    dir_.string()},
                   std::chrono::minutes(3));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
    EXPECT_NE(r->out.find("xdpdrv / xdpgeneric on veth"), std::string::npos) << r->out;

    auto results = read_results_file((dir_ / "results.json").string());
    ASSERT_TRUE(results) << results.error().message();
    EXPECT_TRUE(results->cells.empty());
    ASSERT_EQ(results->throughput.size(), 3u);
    for (const ThroughputResult& b : results->throughput) {
        EXPECT_EQ(b.verdict, Verdict::Pass) << b.hook << ": " << b.reason;
        EXPECT_EQ(b.action, "drop");
        EXPECT_NE(b.method.find("af_packet"), std::string::npos) << b.method;
        ASSERT_EQ(b.windows.size(), 3u) << b.hook;
        std::uint64_t counted = 0, sent = 0;
        for (const ThroughputWindow& w : b.windows) {
            EXPECT_GT(w.counted, 0u) << b.hook;
            counted += w.counted;
            sent += w.sent;
        }
        EXPECT_GT(b.pps_median(), 0) << b.hook;
        EXPECT_GT(b.ns_per_packet_median(), 0) << b.hook;
        // A dropping program at an ingress hook sees every frame the generator got out: the
        // count is the program's, and it must agree with what was sent.
        EXPECT_GE(static_cast<double>(counted), 0.8 * static_cast<double>(sent)) << b.hook;
    }
    ASSERT_EQ(results->throughput_ratios.size(), 1u);
    const ThroughputRatio& ratio = results->throughput_ratios[0];
    EXPECT_EQ(ratio.device, "veth");
    ASSERT_TRUE(ratio.hookmatrix) << ratio.hookmatrix_note;
    EXPECT_GT(*ratio.hookmatrix, 0);
    // xdp-bench gives a ratio or a reason why not; never silence.
    EXPECT_TRUE(ratio.xdp_bench || !ratio.xdp_bench_note.empty());

    const std::string html = read_text(dir_ / "report.html");
    EXPECT_NE(html.find("Throughput under load"), std::string::npos);
    EXPECT_NE(html.find("xdpdrv / xdpgeneric (hookmatrix)"), std::string::npos);
    EXPECT_NE(html.find("id=\"hm-bench-data\""), std::string::npos);
}

TEST_F(Throughput, PassingCounterOnLo_CountsAndUnsupportedDevicesSayWhy) {
    HM_REQUIRE_PREREQUISITES();
    auto r = spawn({HOOKMATRIX_BINARY, "bench", "--hooks", "tc-ingress", "--devices", "lo,tap",
                    "--seconds", "0.2", "--windows", "2", "--action", "pass", "-o",
                    dir_.string()},
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

} // namespace
} // namespace hm::test
