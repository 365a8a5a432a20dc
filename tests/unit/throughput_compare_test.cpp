// matrix/compare/throughput_compare.h, matrix/results/throughput_result.h and the xdp-bench output
// parser: when a change in packets per second counts, and the xdpdrv / xdpgeneric ratio.
#include "matrix/compare/throughput_compare.h"
#include "runners/xdp_bench.h"

#include "throughput_fixture.h"

#include <gtest/gtest.h>

namespace hm {
namespace {

using test::throughput_cell;

const CompareOptions kDefaults{}; // 10%, alpha 0.01

TEST(ThroughputCompare, SeparationPIsTheExactUTestAtZero) {
    EXPECT_NEAR(separation_p(5, 5), 2.0 / 252, 1e-12);
    EXPECT_NEAR(separation_p(3, 3), 0.1, 1e-12);
    EXPECT_EQ(separation_p(0, 5), 1);
}

TEST(ThroughputCompare, A20PercentDropWithSeparatedWindows_IsARegression) {
    const std::vector base{throughput_cell("xdpdrv", {1.00, 1.01, 0.99, 1.02, 1.00})};
    const std::vector now{throughput_cell("xdpdrv", {0.80, 0.81, 0.79, 0.82, 0.80})};
    const ThroughputDiff d = compare_throughput(base, now, true, kDefaults);
    ASSERT_EQ(d.changes.size(), 1u);
    EXPECT_EQ(d.changes[0].change, Change::Regression);
    EXPECT_TRUE(d.changes[0].separated);
    EXPECT_NEAR(d.changes[0].relative, -0.2, 1e-9);
    EXPECT_EQ(d.regressions, 1u);
    // The same the other way round is an improvement.
    EXPECT_EQ(compare_throughput(now, base, true, kDefaults).changes[0].change,
              Change::Improvement);
}

TEST(ThroughputCompare, OverlappingWindows_AreNoChangeHoweverTheMediansMove) {
    const std::vector base{throughput_cell("xdpdrv", {1.00, 1.01, 0.99, 1.02, 0.70})};
    const std::vector now{throughput_cell("xdpdrv", {0.80, 0.81, 0.79, 0.82, 1.05})};
    const ThroughputDiff d = compare_throughput(base, now, true, kDefaults);
    EXPECT_EQ(d.changes[0].change, Change::Unchanged);
    EXPECT_FALSE(d.changes[0].separated);
}

TEST(ThroughputCompare, SeparatedButSmall_IsNoChange) {
    const std::vector base{throughput_cell("tc-ingress", {1.00, 1.00, 1.00, 1.00, 1.00})};
    const std::vector now{throughput_cell("tc-ingress", {0.95, 0.95, 0.95, 0.95, 0.95})};
    EXPECT_EQ(compare_throughput(base, now, true, kDefaults).changes[0].change, Change::Unchanged);
}

TEST(ThroughputCompare, ThreeWindowsASide_CannotShowAChangeAndSaySo) {
    const std::vector base{throughput_cell("xdpdrv", {1.0, 1.0, 1.0})};
    const std::vector now{throughput_cell("xdpdrv", {0.5, 0.5, 0.5})};
    const ThroughputChange c = compare_throughput(base, now, true, kDefaults).changes[0];
    EXPECT_EQ(c.change, Change::Unchanged);
    EXPECT_NE(c.note.find("more --windows"), std::string::npos) << c.note;
}

TEST(ThroughputCompare, AcrossKernels_MatchesByHookAndDevice) {
    const std::vector base{throughput_cell("xdpdrv", {1, 1, 1, 1, 1}, "6.1")};
    const std::vector now{throughput_cell("xdpdrv", {1, 1, 1, 1, 1}, "6.18")};
    EXPECT_EQ(compare_throughput(base, now, true, kDefaults).changes.size(), 2u); // removed, added
    const ThroughputDiff d = compare_throughput(base, now, false, kDefaults);
    ASSERT_EQ(d.changes.size(), 1u);
    EXPECT_EQ(d.changes[0].change, Change::Unchanged);
    EXPECT_EQ(d.changes[0].new_kernel, "6.18");
}

TEST(ThroughputRatio, IsXdpdrvOverXdpgenericMedians) {
    std::string why;
    auto r = xdp_mode_ratio(test::throughput_run().throughput, "veth", "6.18.0", why);
    ASSERT_TRUE(r) << why;
    EXPECT_NEAR(*r, 1.20 / 0.80, 1e-6);
}

TEST(ThroughputRatio, MissingModeHasNoRatioAndSaysWhich) {
    std::string why;
    std::vector<ThroughputResult> only_generic{throughput_cell("xdpgeneric", {1, 1})};
    EXPECT_FALSE(xdp_mode_ratio(only_generic, "veth", "6.18.0", why));
    EXPECT_EQ(why, "xdpdrv was not benchmarked on veth");
}

TEST(XdpBenchOutput, MedianOfSummaryLinesWithoutTheFirst) {
    const std::string out = "Dropping packets on dut (ifindex 2; driver veth)\n"
                            "Summary                   100,000 rx/s                  0 err/s\n"
                            "Summary                 1,200,000 rx/s                  0 err/s\n"
                            "Summary                 1,300,000 rx/s                  0 err/s\n"
                            "Summary                 1,250,000 rx/s                  0 err/s\n";
    auto rate = parse_xdp_bench_rate(out);
    ASSERT_TRUE(rate);
    EXPECT_DOUBLE_EQ(*rate, 1'250'000);
    EXPECT_FALSE(parse_xdp_bench_rate("Failed to attach XDP program: No such process\n"));
}

} // namespace
} // namespace hm
