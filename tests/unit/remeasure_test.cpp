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

} // namespace
} // namespace hm
