// matrix/results/rounds.h: a later round's samples and counts join the cell; a round that fails
// wins.
#include "matrix/results/rounds.h"

#include <gtest/gtest.h>

namespace hm {
namespace {

CellResult passed(std::vector<std::uint64_t> samples) {
    const auto n = static_cast<std::uint32_t>(samples.size());
    return {.hook = "tc-ingress",
            .device = "veth",
            .kernel = "6.1",
            .verdict = Verdict::Pass,
            .reason = "fired once per echo request for all 2 packets",
            .packets_sent = n,
            .replies = n,
            .fired = n,
            .samples_ns = std::move(samples),
            .duration_s = 0.5};
}

TEST(Rounds, APassingRoundAddsItsSamplesInSendOrder) {
    CellResult cell = passed({100, 200});
    join_round(cell, passed({300, 400}), 2);
    EXPECT_EQ(cell.verdict, Verdict::Pass);
    EXPECT_EQ(cell.samples_ns, (std::vector<std::uint64_t>{100, 200, 300, 400}));
    EXPECT_EQ(cell.packets_sent, 4u);
    EXPECT_EQ(cell.fired, 4u);
    EXPECT_EQ(cell.latency.samples, 4u);
    EXPECT_EQ(cell.latency.max, 400u);
    EXPECT_DOUBLE_EQ(cell.duration_s, 1.0);
    EXPECT_NE(cell.reason.find("each of 2 rounds"), std::string::npos) << cell.reason;
}

TEST(Rounds, AFailedRoundFailsTheCellSayingWhichRound) {
    CellResult cell = passed({100, 200});
    CellResult bad = passed({});
    bad.verdict = Verdict::Fail;
    bad.reason = "fired for 1 of 2 packets";
    join_round(cell, bad, 2);
    EXPECT_EQ(cell.verdict, Verdict::Fail);
    EXPECT_EQ(cell.reason, "round 2: fired for 1 of 2 packets");
}

} // namespace
} // namespace hm
