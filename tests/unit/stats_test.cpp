// matrix/stats/stats.h: nearest-rank latency statistics.
#include "matrix/stats/stats.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

namespace hm {
namespace {

TEST(Stats, EmptyInputGivesAllZeros) {
    LatencyStats s = summarize(std::vector<std::uint64_t>{});
    EXPECT_EQ(s.samples, 0u);
    EXPECT_EQ(s.min, 0u);
    EXPECT_EQ(s.p50, 0u);
    EXPECT_EQ(s.p90, 0u);
    EXPECT_EQ(s.p99, 0u);
    EXPECT_EQ(s.max, 0u);
    EXPECT_EQ(s.mean, 0.0);
}

TEST(Stats, SingleSampleIsEveryStatistic) {
    LatencyStats s = summarize(std::vector<std::uint64_t>{4310});
    EXPECT_EQ(s.samples, 1u);
    EXPECT_EQ(s.min, 4310u);
    EXPECT_EQ(s.p50, 4310u);
    EXPECT_EQ(s.p90, 4310u);
    EXPECT_EQ(s.p99, 4310u);
    EXPECT_EQ(s.max, 4310u);
    EXPECT_DOUBLE_EQ(s.mean, 4310.0);
}

TEST(Stats, OneToHundredGivesNearestRankPercentiles) {
    std::vector<std::uint64_t> v(100);
    std::iota(v.begin(), v.end(), 1);
    LatencyStats s = summarize(v);
    EXPECT_EQ(s.samples, 100u);
    EXPECT_EQ(s.min, 1u);
    EXPECT_EQ(s.p50, 50u);
    EXPECT_EQ(s.p90, 90u);
    EXPECT_EQ(s.p99, 99u);
    EXPECT_EQ(s.max, 100u);
    EXPECT_DOUBLE_EQ(s.mean, 50.5);
}

// Nearest rank on a small set rounds the rank up: with 10 values p50 is the 5th, p99 the 10th.
// Every reported percentile is a value that was measured, never an interpolation.
TEST(Stats, PercentilesOfTenSamplesRoundTheRankUp) {
    LatencyStats s = summarize(std::vector<std::uint64_t>{10, 20, 30, 40, 50, 60, 70, 80, 90, 100});
    EXPECT_EQ(s.p50, 50u);
    EXPECT_EQ(s.p90, 90u);
    EXPECT_EQ(s.p99, 100u);
}

TEST(Stats, UnsortedInputIsSortedFirst) {
    LatencyStats s = summarize(std::vector<std::uint64_t>{900, 100, 500, 300, 700});
    EXPECT_EQ(s.min, 100u);
    EXPECT_EQ(s.p50, 500u); // rank ceil(2.5) = 3
    EXPECT_EQ(s.p90, 900u); // rank ceil(4.5) = 5
    EXPECT_EQ(s.max, 900u);
    EXPECT_DOUBLE_EQ(s.mean, 500.0);
}

TEST(Stats, MeanIsArithmeticMeanNotMedian) {
    LatencyStats s = summarize(std::vector<std::uint64_t>{1, 1, 1, 97});
    EXPECT_EQ(s.p50, 1u);
    EXPECT_DOUBLE_EQ(s.mean, 25.0);
}

} // namespace
} // namespace hm
