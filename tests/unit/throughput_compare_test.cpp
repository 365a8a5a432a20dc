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

TEST(ThroughputCompare, Sources_AreComparedApart) {
    const std::vector base{throughput_cell("xdpdrv", {4, 4, 4, 4, 4}, "6.18", "xdp"),
                           throughput_cell("xdpdrv", {0.5, 0.5, 0.5, 0.5, 0.5}, "6.18", "skb")};
    const std::vector now{throughput_cell("xdpdrv", {0.5, 0.5, 0.5, 0.5, 0.5}, "6.18", "skb"),
                          throughput_cell("xdpdrv", {4, 4, 4, 4, 4}, "6.18", "xdp")};
    const ThroughputDiff d = compare_throughput(base, now, true, kDefaults);
    ASSERT_EQ(d.changes.size(), 2u);
    for (const ThroughputChange& c : d.changes)
        EXPECT_EQ(c.change, Change::Unchanged) << c.source;
    EXPECT_EQ(d.changes[0].source, "xdp");
    EXPECT_EQ(d.changes[1].source, "skb");
    // A source only one side measured is added or removed, never matched with the other source.
    const std::vector skb_only{now[0]};
    const ThroughputDiff e = compare_throughput(base, skb_only, true, kDefaults);
    ASSERT_EQ(e.changes.size(), 2u);
    EXPECT_EQ(e.changes[0].change, Change::Removed);
    EXPECT_EQ(e.changes[0].source, "xdp");
}

TEST(ThroughputGeneratorBound, RateWithinFivePerCentOfTheCeiling_IsFlagged) {
    EXPECT_TRUE(test::with_ceiling(throughput_cell("xdpdrv", {0.97, 0.98, 0.96}), {1, 1, 1})
                    .generator_bound());
    EXPECT_FALSE(test::with_ceiling(throughput_cell("xdpdrv", {0.90, 0.91, 0.89}), {1, 1, 1})
                     .generator_bound());
    // Without a ceiling nothing is known, and nothing is flagged.
    EXPECT_FALSE(throughput_cell("xdpdrv", {1, 1, 1}).generator_bound());
}

TEST(ThroughputRatio, WindowsOverlappingOne_AreNoMeasurableDifference) {
    const std::vector bench{throughput_cell("xdpgeneric", {0.50, 0.52, 0.48, 0.51, 0.50}),
                            throughput_cell("xdpdrv", {0.51, 0.49, 0.53, 0.50, 0.52})};
    ThroughputRatio r{.device = "veth", .kernel = "6.18.0", .source = "skb"};
    fill_xdp_mode_ratio(r, bench);
    ASSERT_TRUE(r.hookmatrix) << r.hookmatrix_note;
    EXPECT_GT(*r.hookmatrix, 1.0); // a median ratio above 1 ...
    EXPECT_LT(*r.hookmatrix_low, 1.0);
    EXPECT_FALSE(r.measurable()); // ... that the windows do not bear out
    EXPECT_EQ(r.difference(), "no measurable difference");
}

// The skb source on veth: xdpdrv's windows all a few per cent below xdpgeneric's. Separated, but
// inside the equivalence margin: no measurable difference. The same gap at 15 % is a loss.
TEST(ThroughputRatio, SeparatedWindowsInsideTheMargin_AreNoMeasurableDifference) {
    const std::vector bench{throughput_cell("xdpgeneric", {0.56, 0.56, 0.57, 0.56, 0.56}),
                            throughput_cell("xdpdrv", {0.53, 0.53, 0.54, 0.53, 0.53})};
    ThroughputRatio r{.device = "veth", .kernel = "6.18.0", .source = "skb"};
    fill_xdp_mode_ratio(r, bench);
    ASSERT_TRUE(r.hookmatrix) << r.hookmatrix_note;
    EXPECT_LT(*r.hookmatrix_high, 1.0); // every window says slower ...
    EXPECT_GE(*r.hookmatrix_low, 1.0 - kEquivalenceMargin);
    EXPECT_TRUE(r.within_margin()); // ... by less than runs here differ by
    EXPECT_FALSE(r.measurable());
    EXPECT_EQ(r.difference(), "no measurable difference");

    const std::vector slower{throughput_cell("xdpgeneric", {0.56, 0.56, 0.57, 0.56, 0.56}),
                             throughput_cell("xdpdrv", {0.47, 0.47, 0.48, 0.47, 0.47})};
    ThroughputRatio s{.device = "veth", .kernel = "6.18.0", .source = "skb"};
    fill_xdp_mode_ratio(s, slower);
    EXPECT_FALSE(s.within_margin());
    EXPECT_EQ(s.difference(), "xdpdrv slower");
}

TEST(ThroughputRatio, SeparatedWindows_AreAGainWithEachModesNsAndTheDifference) {
    const std::vector bench{
        throughput_cell("xdpgeneric", {1.7, 1.6, 1.8}, "6.18.0", "xdp"),
        throughput_cell("xdpdrv", {4.4, 4.5, 4.3}, "6.18.0", "xdp"),
        throughput_cell("xdpdrv", {0.5, 0.5, 0.5}, "6.18.0", "skb")}; // another source: ignored
    ThroughputRatio r{.device = "veth", .kernel = "6.18.0", .source = "xdp"};
    fill_xdp_mode_ratio(r, bench);
    ASSERT_TRUE(r.hookmatrix) << r.hookmatrix_note;
    EXPECT_NEAR(*r.hookmatrix, 4.4 / 1.7, 1e-9);
    EXPECT_NEAR(*r.hookmatrix_low, 4.3 / 1.8, 1e-9);
    EXPECT_NEAR(*r.hookmatrix_high, 4.5 / 1.6, 1e-9);
    EXPECT_EQ(r.difference(), "xdpdrv faster");
    // CPU 1 busy for each 0.5 s window: 1e9 / rate ns per packet.
    EXPECT_NEAR(*r.xdpdrv_ns, 1e9 / 4.4e6, 0.5);
    EXPECT_NEAR(*r.xdpgeneric_ns, 1e9 / 1.7e6, 0.5);
    EXPECT_NEAR(*r.ns_saved(), 1e9 / 1.7e6 - 1e9 / 4.4e6, 1);
    // The skb source has no xdpgeneric cell here: no ratio, and the note says which source.
    ThroughputRatio skb{.device = "veth", .kernel = "6.18.0", .source = "skb"};
    fill_xdp_mode_ratio(skb, bench);
    EXPECT_FALSE(skb.hookmatrix);
    EXPECT_EQ(skb.hookmatrix_note, "xdpgeneric was not benchmarked on veth");
}

// Own CPU time per packet does not move with the machine's other load, so it is the headline when
// the windows have it: here the rates say nothing (a busy minute slowed xdpdrv), the CPU times do.
TEST(ThroughputRatio, OwnCpuTime_IsTheHeadlineAndItsWindowsJudgeTheDifference) {
    auto cell = [](const char* hook, std::initializer_list<double> mpps, double ns) {
        ThroughputResult b = throughput_cell(hook, mpps, "6.18.0", "xdp");
        for (ThroughputWindow& w : b.windows)
            w.own_cpu_ns = static_cast<std::uint64_t>(ns * static_cast<double>(w.counted));
        return b;
    };
    const std::vector bench{cell("xdpgeneric", {1.7, 1.6, 1.8}, 590),
                            cell("xdpdrv", {1.5, 2.5, 4.4}, 225)};
    ThroughputRatio r{.device = "veth", .kernel = "6.18.0", .source = "xdp"};
    fill_xdp_mode_ratio(r, bench);
    ASSERT_TRUE(r.by_cpu);
    EXPECT_NEAR(*r.by_cpu, 590.0 / 225, 1e-3);
    EXPECT_LT(*r.hookmatrix_low, 1.0); // the rates' windows overlap 1.0 ...
    EXPECT_TRUE(r.measurable());       // ... the CPU times' do not
    EXPECT_EQ(r.difference(), "xdpdrv faster");
    EXPECT_NEAR(*r.xdpdrv_ns, 225, 1e-3);
    EXPECT_NEAR(*r.ns_saved(), 365, 1e-3);
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
