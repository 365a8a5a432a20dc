// matrix/compare/compare.h: verdict classification, latency significance AND threshold,
// added/removed.
#include "matrix/compare/compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace hm {
namespace {

using Samples = std::vector<std::uint64_t>;

struct VerdictRow {
    Verdict base, now;
    VerdictChange expected;
};

TEST(Compare, VerdictChangesAreClassifiedByTheTable) {
    using enum Verdict;
    using enum VerdictChange;
    for (const VerdictRow& r : {
             VerdictRow{.base = Pass, .now = Pass, .expected = Same},
             VerdictRow{.base = Fail, .now = Fail, .expected = Same},
             VerdictRow{.base = Pass, .now = Fail, .expected = Regression},
             VerdictRow{.base = Pass, .now = Error, .expected = Regression},
             VerdictRow{.base = Fail, .now = Pass, .expected = Fixed},
             VerdictRow{.base = Error, .now = Pass, .expected = Fixed},
             VerdictRow{.base = Unsupported, .now = Pass, .expected = NewSupport},
             VerdictRow{.base = Pass, .now = Unsupported, .expected = LostSupport},
             VerdictRow{.base = Fail, .now = Error, .expected = Changed},
             VerdictRow{.base = Error, .now = Fail, .expected = Changed},
             VerdictRow{.base = Unsupported, .now = Fail, .expected = Changed},
             VerdictRow{.base = Unsupported, .now = Error, .expected = Changed},
             VerdictRow{.base = Fail, .now = Unsupported, .expected = Changed},
             VerdictRow{.base = Error, .now = Unsupported, .expected = Changed},
             // attached: the kernel took the program, but no packet reached it
             VerdictRow{.base = Pass, .now = Attached, .expected = Regression},
             VerdictRow{.base = Attached, .now = Error, .expected = Regression},
             VerdictRow{.base = Attached, .now = Pass, .expected = NewSupport},
             VerdictRow{.base = Unsupported, .now = Attached, .expected = NewSupport},
             VerdictRow{.base = Attached, .now = Unsupported, .expected = LostSupport},
             VerdictRow{.base = Error, .now = Attached, .expected = Fixed},
         })
        EXPECT_EQ(classify_verdicts(r.base, r.now), r.expected)
            << to_string(r.base) << " -> " << to_string(r.now);
}

struct ThresholdRow {
    const char* text;
    Threshold::Unit unit;
    double value;
};

TEST(Compare, ThresholdsParseAsShareOrTime) {
    using enum Threshold::Unit;
    for (const ThresholdRow& r : {ThresholdRow{.text = "10%", .unit = Percent, .value = 10},
                                  ThresholdRow{.text = "2.5%", .unit = Percent, .value = 2.5},
                                  ThresholdRow{.text = "500ns", .unit = Nanoseconds, .value = 500},
                                  ThresholdRow{.text = "1.5us", .unit = Nanoseconds, .value = 1500},
                                  ThresholdRow{.text = "1ms", .unit = Nanoseconds, .value = 1e6}}) {
        auto t = parse_threshold(r.text);
        ASSERT_TRUE(t) << r.text;
        EXPECT_EQ(t->unit, r.unit) << r.text;
        EXPECT_DOUBLE_EQ(t->value, r.value) << r.text;
    }
    EXPECT_EQ(parse_threshold("10%")->text(), "10%");
    EXPECT_EQ(parse_threshold("2us")->text(), "2000ns");
    for (const char* bad : {"10", "%", "-5%", "ten%", "5 %", "5s", ""})
        EXPECT_FALSE(parse_threshold(bad)) << bad;
}

Samples around(double median, double spread, int n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> d(median, spread);
    Samples out;
    for (int i = 0; i < n; ++i)
        out.push_back(static_cast<std::uint64_t>(std::max(1.0, d(rng))));
    return out;
}

Samples scaled(const Samples& s, double factor) {
    Samples out;
    for (auto v : s)
        out.push_back(static_cast<std::uint64_t>(static_cast<double>(v) * factor));
    return out;
}

TEST(Compare, ThreeTimesSlowerIsASignificantSlowdownBeyondThreshold) {
    const Samples base = around(2500, 60, 200, 1);
    auto l = compare_latency(base, scaled(base, 3), {});
    ASSERT_TRUE(l);
    EXPECT_TRUE(l->significant);
    EXPECT_TRUE(l->beyond_threshold);
    EXPECT_EQ(l->trend, LatencyTrend::Slower);
    EXPECT_NEAR(l->ratio, 3, 0.01);
    EXPECT_NEAR(l->shift_relative, 2, 0.05);
    EXPECT_LT(l->p, 1e-30);
}

// Hundreds of packets make a 3% shift "significant"; the threshold keeps it from counting.
TEST(Compare, SignificantButSmallShiftIsNotARegression) {
    const Samples base = around(2500, 20, 200, 2);
    auto l = compare_latency(base, scaled(base, 1.03), {});
    ASSERT_TRUE(l);
    EXPECT_TRUE(l->significant);
    EXPECT_FALSE(l->beyond_threshold);
    EXPECT_EQ(l->trend, LatencyTrend::Same);
}

// A large but unconvincing change: ten samples each, wide spread, overlapping.
TEST(Compare, LargeButInsignificantShiftIsNotARegression) {
    const Samples base{1000, 5000, 2000, 8000, 1500, 6000, 3000, 7000, 2500, 4000};
    const Samples now{1200, 6500, 2100, 9000, 1400, 7000, 3500, 8000, 2600, 4500};
    auto l = compare_latency(base, now, {});
    ASSERT_TRUE(l);
    EXPECT_FALSE(l->significant);
    EXPECT_GT(l->shift_relative, 0.10);
    EXPECT_EQ(l->trend, LatencyTrend::Same);
}

// What a VM does to a cell now and then: its first 70 packets 35% slower, then back to normal.
// The median moves and U calls it significant, but the later quarters did not move at all.
TEST(Compare, ABurstOfSlowPacketsIsNotASteadyShift) {
    const Samples base = around(2200, 30, 100, 11);
    Samples now = around(2200, 30, 100, 12);
    for (std::size_t i = 0; i < 70; ++i)
        now[i] = static_cast<std::uint64_t>(static_cast<double>(now[i]) * 1.35);
    auto l = compare_latency(base, now, {});
    ASSERT_TRUE(l);
    EXPECT_TRUE(l->significant);
    EXPECT_GT(l->shift_relative, 0.10);
    EXPECT_LT(std::abs(l->steady_shift_relative), 0.02); // the last quarter did not move
    EXPECT_FALSE(l->beyond_threshold);
    EXPECT_EQ(l->trend, LatencyTrend::Same);
}

// The same burst in every packet is a steady shift; the quarters' spread makes it a bit smaller.
TEST(Compare, ASteadyShiftIsMeasuredQuarterAgainstQuarter) {
    const Samples base = around(2200, 30, 100, 13);
    auto l = compare_latency(base, scaled(base, 1.35), {});
    ASSERT_TRUE(l);
    EXPECT_GT(l->steady_shift_relative, 0.30);
    EXPECT_LE(l->steady_shift_relative, 0.35);
    EXPECT_EQ(l->trend, LatencyTrend::Slower);
}

TEST(Compare, FasterBeyondThresholdIsAnImprovement) {
    const Samples base = around(4000, 80, 200, 3);
    auto l = compare_latency(base, scaled(base, 0.5), {});
    ASSERT_TRUE(l);
    EXPECT_EQ(l->trend, LatencyTrend::Faster);
    EXPECT_LT(l->shift_ns, 0);
}

TEST(Compare, AbsoluteThresholdComparesTheShiftInNanoseconds) {
    const Samples base = around(2500, 20, 200, 4);
    CompareOptions opts{.threshold = {.unit = Threshold::Unit::Nanoseconds, .value = 500}};
    EXPECT_EQ(compare_latency(base, scaled(base, 1.15), opts)->trend, LatencyTrend::Same);   // +375
    EXPECT_EQ(compare_latency(base, scaled(base, 1.25), opts)->trend, LatencyTrend::Slower); // +625
}

TEST(Compare, TooFewSamplesAreNotCompared) {
    EXPECT_FALSE(compare_latency(Samples{1, 2, 3}, Samples{4, 5, 6}, {}));
    EXPECT_FALSE(compare_latency(around(100, 1, 50, 5), Samples{}, {}));
}

CellResult cell(std::string hook, Verdict v, Samples samples = {}, std::string kernel = "6.1") {
    return {.hook = std::move(hook),
            .device = "veth",
            .kernel = std::move(kernel),
            .verdict = v,
            .reason = std::string(to_string(v)),
            .samples_ns = std::move(samples)};
}

TEST(Compare, CellsAreMatchedAndSummarised) {
    const Samples s = around(2500, 30, 100, 6);
    const std::vector<CellResult> base{
        cell("tc-ingress", Verdict::Pass, s), cell("tc-egress", Verdict::Pass, s),
        cell("xdpdrv", Verdict::Unsupported), cell("xdpgeneric", Verdict::Pass, s),
        cell("xt-bpf-input", Verdict::Fail, s)};
    const std::vector<CellResult> now{
        cell("tc-egress", Verdict::Pass, scaled(s, 3)), cell("tc-ingress", Verdict::Pass, s),
        cell("xdpdrv", Verdict::Pass, s), cell("tcx-ingress", Verdict::Pass, s),
        cell("xt-bpf-input", Verdict::Error)};
    auto d = compare_cells(base, now, true, {});
    ASSERT_TRUE(d) << d.error().message();
    std::vector<std::pair<std::string, Change>> got;
    for (const auto& c : d->cells)
        got.emplace_back(c.hook, c.change);
    // Catalogue order: xdpgeneric, xdpdrv, tc-ingress, tc-egress, xt-bpf-input, tcx-ingress.
    EXPECT_EQ(got, (std::vector<std::pair<std::string, Change>>{{"xdpgeneric", Change::Removed},
                                                                {"xdpdrv", Change::Improvement},
                                                                {"tc-ingress", Change::Unchanged},
                                                                {"tc-egress", Change::Regression},
                                                                {"xt-bpf-input", Change::Changed},
                                                                {"tcx-ingress", Change::Added}}));
    EXPECT_EQ(d->summary.regressions, 1u);
    EXPECT_EQ(d->summary.improvements, 1u);
    EXPECT_EQ(d->summary.unchanged, 1u);
    EXPECT_EQ(d->summary.changed, 1u);
    EXPECT_EQ(d->summary.added, 1u);
    EXPECT_EQ(d->summary.removed, 1u);
    EXPECT_TRUE(d->has_regression());
}

// A whole run 40% slower (the machine's mood) with one cell 40% slower again: judged against
// the run, only that cell regressed; judged absolutely, every cell did.
TEST(Compare, JudgedAgainstTheRunOnlyTheCellThatMovedMoreIsARegression) {
    const char* hooks[] = {"xdpgeneric",   "xdpdrv",        "tc-ingress",
                           "tc-egress",    "tcx-ingress",   "tcx-egress",
                           "xt-bpf-input", "xt-bpf-output", "socket-filter"};
    std::vector<CellResult> base, now;
    unsigned seed = 20;
    for (const char* hook : hooks) {
        const Samples s = around(2000, 30, 100, seed++);
        base.push_back(cell(hook, Verdict::Pass, s));
        now.push_back(cell(hook, Verdict::Pass,
                           scaled(s, std::string(hook) == "tc-egress" ? 1.4 * 1.4 : 1.4)));
    }
    auto relative = compare_cells(base, now, true, {.relative_to_run = true});
    ASSERT_TRUE(relative) << relative.error().message();
    ASSERT_TRUE(relative->run_shift);
    EXPECT_NEAR(*relative->run_shift, 1.4, 0.01);
    EXPECT_EQ(relative->run_shift_cells, 9u);
    EXPECT_EQ(relative->summary.regressions, 1u);
    for (const CellDiff& d : relative->cells)
        EXPECT_EQ(d.change == Change::Regression, d.hook == "tc-egress") << d.hook;

    auto absolute = compare_cells(base, now, true, {});
    ASSERT_TRUE(absolute);
    EXPECT_FALSE(absolute->relative_to_run);
    EXPECT_EQ(absolute->summary.regressions, 9u);

    // Too few cells to say what the run did: nothing to judge against.
    auto few = compare_cells(std::span(base).first(3), std::span(now).first(3), true,
                             {.relative_to_run = true});
    ASSERT_TRUE(few);
    EXPECT_FALSE(few->run_shift);
    EXPECT_EQ(few->summary.regressions, 3u);
}

// A slow phase of the machine over the first 20 of 40 cells, one cell of the last 20 really
// slower, and in the first half one cell that stood still while its neighbours were slower:
// only the really slower one regressed. (Against the whole run's median it would have been
// half the run, or the cell that stood still would have looked faster; seen in CI.)
TEST(Compare, APhaseThatEndsMidRunIsNotARegressionOfTheCellsItTouched) {
    std::vector<CellResult> base, now;
    for (unsigned i = 0; i < 40; ++i) {
        const std::string hook = "hook-" + std::to_string(i);
        const Samples s = around(2000, 30, 100, 100 + i);
        double factor = i < 20 ? 1.4 : 1.0;
        if (i == 7)
            factor = 1.0; // stood still in the slow phase
        if (i == 30)
            factor = 1.5; // the real regression
        base.push_back(cell(hook, Verdict::Pass, s));
        now.push_back(cell(hook, Verdict::Pass, scaled(s, factor)));
    }
    auto d = compare_cells(base, now, true, {.relative_to_run = true});
    ASSERT_TRUE(d) << d.error().message();
    for (const CellDiff& c : d->cells)
        EXPECT_EQ(c.change == Change::Regression, c.hook == "hook-30")
            << c.hook << " " << to_string(c.change);
    EXPECT_EQ(d->summary.regressions, 1u);
    EXPECT_EQ(d->summary.improvements, 0u);
}

// Two shards merged: shard 1 ran its 20 cells in a slow phase of its machine (+40%), shard 2
// its 20 at the usual speed, and one cell of shard 2 is really slower. Merged, the cells are in
// catalogue order, the shards interleaved. Judged against neighbours of the same origin, only the
// really slower cell regressed; against the merged list's neighbours, a mix of both shards, the
// slow shard's cells would (seen once merge reordered cells).
TEST(Compare, MergedShardsAreEachJudgedAgainstTheirOwnNeighbours) {
    std::vector<CellResult> base, now;
    for (unsigned i = 0; i < 40; ++i) {
        const std::string hook = "hook-" + std::to_string(i);
        const Samples s = around(2000, 30, 100, 300 + i);
        const bool first_shard = i % 2 == 0;
        double factor = first_shard ? 1.4 : 1.0;
        if (i == 31)
            factor = 1.5; // the real regression, in shard 2
        base.push_back(cell(hook, Verdict::Pass, s));
        CellResult c = cell(hook, Verdict::Pass, scaled(s, factor));
        c.origin = first_shard ? "shard 1/2" : "shard 2/2";
        now.push_back(std::move(c));
    }
    auto d = compare_cells(base, now, true, {.relative_to_run = true});
    ASSERT_TRUE(d) << d.error().message();
    for (const CellDiff& c : d->cells)
        EXPECT_EQ(c.change == Change::Regression, c.hook == "hook-31")
            << c.hook << " " << to_string(c.change);
    EXPECT_EQ(d->summary.regressions, 1u);
}

TEST(Compare, AFailedHookIsARegressionEvenWithoutSamples) {
    auto d = compare_cells(std::vector{cell("tc-ingress", Verdict::Pass)},
                           std::vector{cell("tc-ingress", Verdict::Fail)}, true, {});
    ASSERT_TRUE(d);
    EXPECT_EQ(d->cells.at(0).verdict_change, VerdictChange::Regression);
    EXPECT_TRUE(d->has_regression());
}

TEST(Compare, LostSupportIsARegression) {
    auto d = compare_cells(std::vector{cell("tcx-ingress", Verdict::Pass)},
                           std::vector{cell("tcx-ingress", Verdict::Unsupported)}, true, {});
    ASSERT_TRUE(d);
    EXPECT_EQ(d->cells.at(0).change, Change::Regression);
}

TEST(Compare, NoCellInCommonIsAnErrorThatSuggestsKernels) {
    auto d = compare_cells(std::vector{cell("tc-ingress", Verdict::Pass, {}, "6.1")},
                           std::vector{cell("tc-ingress", Verdict::Pass, {}, "6.6")}, true, {},
                           "a.json", "b.json");
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().what, "a.json and b.json have no cell in common (they ran on kernels 6.1 "
                              "and 6.6; compare across kernels with --kernels 6.1,6.6)");
}

TEST(Compare, AcrossKernelsCellsAreMatchedByHookAndDevice) {
    auto d = compare_cells(std::vector{cell("tc-ingress", Verdict::Unsupported, {}, "6.1")},
                           std::vector{cell("tc-ingress", Verdict::Pass, {}, "6.6")}, false, {});
    ASSERT_TRUE(d);
    ASSERT_EQ(d->cells.size(), 1u);
    EXPECT_EQ(d->cells[0].base_kernel, "6.1");
    EXPECT_EQ(d->cells[0].new_kernel, "6.6");
    EXPECT_EQ(d->cells[0].verdict_change, VerdictChange::NewSupport);
}

TEST(Compare, ACellTwiceOnOneSideIsAnError) {
    auto d = compare_cells(
        std::vector{cell("tc-ingress", Verdict::Pass), cell("tc-ingress", Verdict::Fail)},
        std::vector{cell("tc-ingress", Verdict::Pass)}, true, {}, "a.json");
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().what, "a.json: holds the cell tc-ingress on veth, kernel 6.1 twice");
}

TEST(Compare, CellsOnKernelPicksOneKernelOrNamesTheOnesThereAre) {
    RunResult run{.cells = {cell("tc-ingress", Verdict::Pass, {}, "6.1"),
                            cell("tc-ingress", Verdict::Pass, {}, "6.6")}};
    auto c = cells_on_kernel(run, "6.6");
    ASSERT_TRUE(c);
    ASSERT_EQ(c->size(), 1u);
    EXPECT_EQ(c->at(0).kernel, "6.6");
    auto none = cells_on_kernel(run, "5.10");
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().what, "no cell ran on kernel '5.10' (the file has: 6.1, 6.6)");
}

} // namespace
} // namespace hm
