// matrix/stats/significance.h: the Mann-Whitney U test and the Hodges-Lehmann shift, against values
// computed by hand (and by scipy.stats.mannwhitneyu(..., method="asymptotic")).
#include "matrix/stats/significance.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace hm {
namespace {

using Samples = std::vector<std::uint64_t>;

// Every y above every x: U = n*m = 25, mean 12.5, variance 25*11/12;
// z = (25 - 12.5 - 0.5) / 4.7871 = 2.5067, p = erfc(z / sqrt 2) = 0.012186.
TEST(MannWhitney, SeparatedSetsOfFiveGiveTheHandComputedUAndP) {
    RankTest t = mann_whitney_u(Samples{1, 2, 3, 4, 5}, Samples{6, 7, 8, 9, 10});
    EXPECT_DOUBLE_EQ(t.u, 25);
    EXPECT_NEAR(t.z, 2.5067182, 1e-6);
    EXPECT_NEAR(t.p, 0.0121858, 1e-6);
}

TEST(MannWhitney, SwappingTheSetsMirrorsUAndKeepsP) {
    RankTest t = mann_whitney_u(Samples{6, 7, 8, 9, 10}, Samples{1, 2, 3, 4, 5});
    EXPECT_DOUBLE_EQ(t.u, 0);
    EXPECT_NEAR(t.z, -2.5067182, 1e-6);
    EXPECT_NEAR(t.p, 0.0121858, 1e-6);
}

// Ties: pairs (x, y) with y > x count 1, equal ones 1/2, giving U = 29; the tie groups
// {2 x3, 3 x5, 4 x2} shrink the variance: 36/12 * (13 - (24 + 120 + 6) / 132).
TEST(MannWhitney, TiesCountHalfAndShrinkTheVariance) {
    RankTest t = mann_whitney_u(Samples{1, 2, 2, 3, 3, 3}, Samples{2, 3, 3, 4, 4, 5});
    EXPECT_DOUBLE_EQ(t.u, 29);
    EXPECT_NEAR(t.z, 1.7600287, 1e-6);
    EXPECT_NEAR(t.p, 0.0784029, 1e-6);
}

TEST(MannWhitney, UnequalSizesInterleaved) {
    RankTest t = mann_whitney_u(Samples{10, 20, 30, 40}, Samples{15, 25, 35, 45, 55});
    EXPECT_DOUBLE_EQ(t.u, 14);
    EXPECT_NEAR(t.p, 0.3912673, 1e-6);
}

TEST(MannWhitney, IdenticalSamplesGivePOne) {
    Samples s{2400, 2410, 2390, 2500, 2405, 2398, 2450, 2401};
    RankTest t = mann_whitney_u(s, s);
    EXPECT_DOUBLE_EQ(t.u, 32);
    EXPECT_DOUBLE_EQ(t.z, 0);
    EXPECT_DOUBLE_EQ(t.p, 1);
}

TEST(MannWhitney, AllValuesEqualGivePOneNotNaN) {
    RankTest t = mann_whitney_u(Samples(10, 2000), Samples(12, 2000));
    EXPECT_DOUBLE_EQ(t.p, 1);
}

TEST(MannWhitney, AnEmptySideGivesPOne) {
    EXPECT_DOUBLE_EQ(mann_whitney_u(Samples{}, Samples{1, 2, 3}).p, 1);
    EXPECT_DOUBLE_EQ(mann_whitney_u(Samples{1, 2, 3}, Samples{}).p, 1);
}

// 200 packets each, the second set 20% slower: the test has no doubt.
TEST(MannWhitney, ShiftedDistributionsGiveATinyP) {
    std::mt19937_64 rng(7);
    std::lognormal_distribution<double> latency(std::log(2500.0), 0.05);
    Samples base, slower;
    for (int i = 0; i < 200; ++i) {
        base.push_back(static_cast<std::uint64_t>(latency(rng)));
        slower.push_back(static_cast<std::uint64_t>(latency(rng) * 1.2));
    }
    RankTest t = mann_whitney_u(base, slower);
    EXPECT_LT(t.p, 1e-20);
    EXPECT_GT(t.z, 0);
}

// Two draws from one distribution: no evidence of a shift (a fixed seed keeps this exact).
TEST(MannWhitney, TwoDrawsFromOneDistributionAreNotSignificant) {
    std::mt19937_64 rng(11);
    std::lognormal_distribution<double> latency(std::log(2500.0), 0.1);
    Samples a, b;
    for (int i = 0; i < 200; ++i) {
        a.push_back(static_cast<std::uint64_t>(latency(rng)));
        b.push_back(static_cast<std::uint64_t>(latency(rng)));
    }
    EXPECT_GT(mann_whitney_u(a, b).p, 0.01);
}

TEST(HodgesLehmann, IsTheMedianOfAllPairwiseDifferences) {
    EXPECT_DOUBLE_EQ(hodges_lehmann_shift(Samples{1, 2, 3, 4, 5}, Samples{6, 7, 8, 9, 10}), 5);
    EXPECT_DOUBLE_EQ(hodges_lehmann_shift(Samples{10, 20, 30, 40}, Samples{15, 25, 35, 45, 55}),
                     10);
    EXPECT_DOUBLE_EQ(hodges_lehmann_shift(Samples{1, 2, 2, 3, 3, 3}, Samples{2, 3, 3, 4, 4, 5}),
                     1);
}

// Differences of {1,5,9} and {2,4}: 1,-3,-7,3,-1,-5; the middle two are -3 and -1.
TEST(HodgesLehmann, EvenCountAveragesTheMiddleTwoAndCanBeNegative) {
    EXPECT_DOUBLE_EQ(hodges_lehmann_shift(Samples{1, 5, 9}, Samples{2, 4}), -2);
}

TEST(HodgesLehmann, IdenticalSamplesShiftByZero) {
    Samples s{2400, 2410, 2390, 2500, 2405};
    EXPECT_DOUBLE_EQ(hodges_lehmann_shift(s, s), 0);
}

TEST(HodgesLehmann, AConstantAddedToEveryValueIsTheShift) {
    Samples base{2400, 2410, 2390, 2500, 2405, 60000}, later;
    for (auto v : base)
        later.push_back(v + 300);
    EXPECT_DOUBLE_EQ(hodges_lehmann_shift(base, later), 300);
}

// Exact without building the n*m differences: 20,000 x 20,000 is 400 million pairs.
TEST(HodgesLehmann, LargeSetsAreExactAndQuick) {
    Samples a, b;
    for (std::uint64_t i = 0; i < 20'000; ++i) {
        a.push_back(1000 + i);
        b.push_back(1500 + i);
    }
    EXPECT_DOUBLE_EQ(hodges_lehmann_shift(a, b), 500);
}

TEST(HodgesLehmann, AnEmptySideShiftsByZero) {
    EXPECT_DOUBLE_EQ(hodges_lehmann_shift(Samples{}, Samples{1}), 0);
}

} // namespace
} // namespace hm
