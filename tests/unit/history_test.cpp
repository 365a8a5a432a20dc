// matrix/compare/history.h: tonight judged against a history of nights, on generated samples:
// a step tonight, a step that began earlier, a noisy but steady cell, one odd night, a bimodal
// cell, and the window of one that is today's diff.
#include "matrix/compare/history.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace hm {
namespace {

// A night of one cell (tc-ingress on veth): `packets` latencies around `level` ns, each within
// +-3%, from a seed of its own so that no two nights are alike.
RunResult night(double level, unsigned seed, std::size_t packets = 200) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<double> noise(0.97, 1.03);
    CellResult c{.hook = "tc-ingress", .device = "veth", .kernel = "6.18",
                 .verdict = Verdict::Pass, .reason = "ok"};
    for (std::size_t i = 0; i < packets; ++i)
        c.samples_ns.push_back(static_cast<std::uint64_t>(level * noise(gen)));
    c.latency = summarize(c.samples_ns);
    RunResult r;
    r.cells.push_back(std::move(c));
    return r;
}

// Half the packets around `level`, half around twice it, interleaved: a cell with two paths.
RunResult bimodal_night(double level, unsigned seed) {
    RunResult a = night(level, seed, 100), b = night(2 * level, seed + 1000, 100);
    std::vector<std::uint64_t> mixed;
    for (std::size_t i = 0; i < 100; ++i) {
        mixed.push_back(a.cells[0].samples_ns[i]);
        mixed.push_back(b.cells[0].samples_ns[i]);
    }
    a.cells[0].samples_ns = mixed;
    a.cells[0].latency = summarize(mixed);
    return a;
}

struct Judgement {
    Change change;
    CellHistory history;
};

Judgement judge(const std::vector<RunResult>& nights, const RunResult& tonight,
                const HistoryOptions& options = {}) {
    std::vector<Night> window;
    for (std::size_t i = 0; i < nights.size(); ++i)
        window.push_back({"night" + std::to_string(i + 1), &nights[i]});
    auto diff = compare_with_history(window, {"tonight", &tonight}, options);
    EXPECT_TRUE(diff) << diff.error().message();
    EXPECT_EQ(diff->cells.size(), 1u);
    EXPECT_TRUE(diff->cells[0].history);
    return {diff->cells[0].change, diff->cells[0].history.value_or(CellHistory{})};
}

std::vector<RunResult> steady(std::size_t n, double level = 2000) {
    std::vector<RunResult> out;
    for (unsigned i = 0; i < n; ++i)
        out.push_back(night(level, i + 1));
    return out;
}

TEST(History, ASlowerNightThanEveryNightOfAQuietHistoryIsARegression) {
    Judgement j = judge(steady(7), night(2000 * 1.25, 99));
    EXPECT_EQ(j.change, Change::Regression);
    EXPECT_EQ(j.history.nights, 7u);
    EXPECT_EQ(j.history.slower_than, 7u);
    EXPECT_TRUE(j.history.since.empty());
}

TEST(History, ANightLikeTheOthersIsUnchanged) {
    Judgement j = judge(steady(7), night(2000, 99));
    EXPECT_EQ(j.change, Change::Unchanged);
}

TEST(History, AFasterNightIsAnImprovement) {
    EXPECT_EQ(judge(steady(7), night(2000 * 0.7, 99)).change, Change::Improvement);
}

TEST(History, AStepThatBeganEarlierIsReportedOnceWithItsNightNotAgain) {
    std::vector<RunResult> nights = steady(4);
    for (unsigned i = 0; i < 3; ++i)
        nights.push_back(night(2000 * 1.3, 50 + i));
    Judgement j = judge(nights, night(2000 * 1.3, 99));
    EXPECT_EQ(j.change, Change::Unchanged);
    EXPECT_EQ(j.history.since, "night5");
    EXPECT_EQ(j.history.since_trend, LatencyTrend::Slower);
}

TEST(History, ACellThatMovesFromNightToNightIsJudgedByItsOwnSpread) {
    // Nights 20% apart, back and forth: a night 12% above the slowest of them is slower than
    // every night, beyond the 10% threshold, but inside the spread the cell's history shows.
    std::vector<RunResult> nights;
    for (unsigned i = 0; i < 7; ++i)
        nights.push_back(night(i % 2 ? 2400 : 2000, i + 1));
    Judgement j = judge(nights, night(2700, 99));
    EXPECT_EQ(j.history.slower_than, 7u);
    EXPECT_EQ(j.change, Change::Unchanged);
    EXPECT_GT(j.history.spread, 0.1);
    // Far beyond the spread it is a regression again.
    EXPECT_EQ(judge(nights, night(4000, 98)).change, Change::Regression);
}

TEST(History, OneOddNightInTheHistoryNeitherHidesNorMakesARegression) {
    std::vector<RunResult> nights = steady(6);
    nights.insert(nights.begin() + 3, night(2000 * 1.4, 77)); // one odd, slow night
    EXPECT_EQ(judge(nights, night(2000, 99)).change, Change::Unchanged);
    EXPECT_EQ(judge(nights, night(2000 * 1.25, 98)).change, Change::Regression);
}

TEST(History, AHistoryDoesNotAskEveryQuarterOfThePacketsToAgreeUnlessTold) {
    // Tonight's first quarter of packets at the old level, the rest 30% slower: a +25% night
    // whose quarters disagree. A history judges the whole (its spread test does the quarters'
    // job); told to (steady_in_history), it asks the quarters too, as a plain diff does.
    RunResult tonight = night(2000 * 1.3, 99);
    const RunResult early = night(2000, 98);
    auto& s = tonight.cells[0].samples_ns;
    std::copy_n(early.cells[0].samples_ns.begin(), s.size() / 4, s.begin());
    tonight.cells[0].latency = summarize(s);
    EXPECT_EQ(judge(steady(7), tonight).change, Change::Regression);
    EXPECT_EQ(judge(steady(7), tonight, {.steady_in_history = true}).change, Change::Unchanged);
    auto plain = compare_cells(steady(1)[0].cells, tonight.cells, true, {}, "night1", "tonight");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->cells[0].change, Change::Unchanged) << "a plain diff asks the quarters";
}

TEST(History, ABimodalCellThatKeepsItsModesIsUnchanged) {
    std::vector<RunResult> nights;
    for (unsigned i = 0; i < 7; ++i)
        nights.push_back(bimodal_night(2000, i + 1));
    EXPECT_EQ(judge(nights, bimodal_night(2000, 99)).change, Change::Unchanged);
}

TEST(History, AWindowOfOneNightIsTodaysDiff) {
    const std::vector<RunResult> nights = steady(1);
    for (double factor : {1.0, 1.25, 0.7, 1.08}) {
        const RunResult tonight = night(2000 * factor, 99);
        auto plain = compare_cells(nights[0].cells, tonight.cells, true, {}, "night1", "tonight");
        ASSERT_TRUE(plain);
        EXPECT_EQ(judge(nights, tonight).change, plain->cells[0].change) << factor;
    }
}

TEST(History, NoNightSharingACellWithTonightIsAnError) {
    RunResult other = night(2000, 1);
    other.cells[0].hook = "xdpdrv";
    const std::vector<Night> window{{"other", &other}};
    const RunResult tonight = night(2000, 2);
    EXPECT_FALSE(compare_with_history(window, {"tonight", &tonight}, {}));
    EXPECT_FALSE(compare_with_history({}, {"tonight", &tonight}, {}));
}

// A run of 30 cells (cell0..cell29 on veth, in that run order) at the given levels.
RunResult run_of(const std::vector<double>& levels, unsigned seed) {
    RunResult r;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        RunResult one = night(levels[i], seed * 100 + static_cast<unsigned>(i));
        one.cells[0].hook = "cell" + std::to_string(i);
        r.cells.push_back(std::move(one.cells[0]));
    }
    return r;
}

// Judges cell15 of a run against its neighbours, as `diff --history` does by default.
Judgement judge_in_run(const std::vector<RunResult>& nights, const RunResult& tonight) {
    std::vector<Night> window;
    for (std::size_t i = 0; i < nights.size(); ++i)
        window.push_back({"night" + std::to_string(i + 1), &nights[i]});
    HistoryOptions options;
    options.compare.relative_to_run = true;
    auto diff = compare_with_history(window, {"tonight", &tonight}, options);
    EXPECT_TRUE(diff) << diff.error().message();
    for (const CellDiff& d : diff->cells)
        if (d.hook == "cell15" && d.history)
            return {d.change, *d.history};
    ADD_FAILURE() << "cell15 not judged";
    return {};
}

constexpr std::size_t kCells = 30;

TEST(History, NeighboursThatMoveAloneDoNotWidenTheSpreadThatHidesAChange) {
    // The machine's load changed in the middle of every other night: the 12 cells run around
    // cell15 read 22% slower, it and the rest of the run did not. Against its neighbours the cell
    // then moves by 18% from night to night; against the whole run it does not move. The smaller
    // spread judges it, so a +25% night stands out.
    std::vector<RunResult> nights;
    for (unsigned n = 0; n < 7; ++n) {
        std::vector<double> levels(kCells, 2000);
        for (std::size_t i = 9; i <= 21 && n % 2; ++i)
            levels[i] = i == 15 ? 2000 : 2000 * 1.22;
        nights.push_back(run_of(levels, n + 1));
    }
    std::vector<double> slow(kCells, 2000);
    slow[15] = 2000 * 1.25;
    const Judgement j = judge_in_run(nights, run_of(slow, 99));
    EXPECT_GT(j.history.spread_neighbours, 0.12);
    ASSERT_TRUE(j.history.spread_run);
    EXPECT_LT(*j.history.spread_run, 0.03);
    EXPECT_DOUBLE_EQ(j.history.spread, *j.history.spread_run);
    EXPECT_EQ(j.change, Change::Regression);
}

TEST(History, ACellThatMovesItselfKeepsItsSpreadAgainstTheWholeRunToo) {
    // The cell moves by 20% back and forth while every other cell stands still: both spreads see
    // it, and a night 12% above its slowest stays inside them.
    std::vector<RunResult> nights;
    for (unsigned n = 0; n < 7; ++n) {
        std::vector<double> levels(kCells, 2000);
        levels[15] = n % 2 ? 2400 : 2000;
        nights.push_back(run_of(levels, n + 1));
    }
    std::vector<double> tonight(kCells, 2000);
    tonight[15] = 2700;
    const Judgement j = judge_in_run(nights, run_of(tonight, 99));
    ASSERT_TRUE(j.history.spread_run);
    EXPECT_GT(*j.history.spread_run, 0.15);
    EXPECT_GT(j.history.spread, 0.15);
    EXPECT_EQ(j.history.slower_than, 7u);
    EXPECT_EQ(j.change, Change::Unchanged);
}

TEST(History, WithoutNeighboursThereIsNoRunSpread) {
    // One cell a night: too few to judge against a run, the spread is the cell's own.
    const Judgement j = judge(steady(7), night(2000, 99));
    EXPECT_FALSE(j.history.spread_run);
    EXPECT_DOUBLE_EQ(j.history.spread, j.history.spread_neighbours);
}

} // namespace
} // namespace hm
