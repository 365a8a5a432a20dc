// Which measurement of a cell measured again decides: the median by shift, so that one
// measurement in an odd state of the machine decides nothing, whichever way it went.
#include "runners/remeasure.h"

#include <gtest/gtest.h>

#include <vector>

namespace hm {
namespace {

std::size_t deciding(std::vector<double> shifts) { return deciding_measurement(shifts); }

TEST(DecidingMeasurement, ARealSlowdownWithOneLowMeasurementAgain_KeepsAMiddleOne) {
    // A +20% night beside a compile job (docs/benchmarks.md, Dec 7): +19%, +21%, then +4%.
    EXPECT_EQ(deciding({0.19, 0.21, 0.04}), 0u);
}

TEST(DecidingMeasurement, OneSlowFirstMeasurement_IsOutvotedByTheTwoAgain) {
    // A cell that ran all its packets in a slow state of the machine, once: +105%, +1%, +2%.
    EXPECT_EQ(deciding({1.05, 0.01, 0.02}), 2u);
}

TEST(DecidingMeasurement, TwoMeasurements_TheLowerDecides) {
    EXPECT_EQ(deciding({0.15, 0.02}), 1u);
    EXPECT_EQ(deciding({0.15, 0.30}), 0u);
}

TEST(DecidingMeasurement, OneMeasurement_Decides) {
    EXPECT_EQ(deciding({0.3}), 0u);
    EXPECT_EQ(deciding({}), 0u);
}

TEST(DecidingMeasurement, EqualShifts_TheMiddleOneInTheOrderTakenDecides) {
    EXPECT_EQ(deciding({0.1, 0.1, 0.1}), 1u);
}

// Measured again with a cell: the cells diff judges it against, the 6 passing cells each side.
std::vector<std::size_t> together(std::vector<bool> passing, std::vector<std::size_t> regressed) {
    return measured_together(passing, regressed);
}

std::vector<std::size_t> range(std::size_t from, std::size_t to) {
    std::vector<std::size_t> out;
    for (std::size_t i = from; i < to; ++i)
        out.push_back(i);
    return out;
}

TEST(MeasuredTogether, ACellInTheMiddle_ComesWithSixEachSide) {
    EXPECT_EQ(together(std::vector<bool>(40, true), {20}), range(14, 27));
}

TEST(MeasuredTogether, AtEitherEnd_TheWindowIsKeptWhole) {
    EXPECT_EQ(together(std::vector<bool>(40, true), {0}), range(0, 13));
    EXPECT_EQ(together(std::vector<bool>(40, true), {39}), range(27, 40));
}

TEST(MeasuredTogether, CellsThatDidNotPass_AreSkippedAndNotCounted) {
    std::vector<bool> passing(20, true);
    passing[3] = passing[4] = false; // unsupported cells: diff compares no latency for them
    EXPECT_EQ(together(passing, {10}),
              (std::vector<std::size_t>{2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
}

TEST(MeasuredTogether, TwoCellsClose_ShareTheirNeighbours) {
    EXPECT_EQ(together(std::vector<bool>(40, true), {10, 12}), range(4, 19));
}

TEST(MeasuredTogether, ARunSmallerThanTheWindow_IsMeasuredWhole) {
    EXPECT_EQ(together(std::vector<bool>(5, true), {2}), range(0, 5));
    EXPECT_EQ(together({true, false, true}, {2}), (std::vector<std::size_t>{0, 2}));
}

TEST(MeasuredTogether, ACellThatDidNotPass_BringsNothing) {
    EXPECT_TRUE(together({true, false, true}, {1}).empty());
}

} // namespace
} // namespace hm
