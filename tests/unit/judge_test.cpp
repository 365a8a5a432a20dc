// runners/judge.h: from what a cell observed to its verdict.
#include "runners/judge.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hm {
namespace {

constexpr std::uint16_t kHook = 3;

hm_event request(std::uint32_t seq, std::uint64_t ts_ns, std::uint16_t hook_id = kHook) {
    return {.ts_ns = ts_ns, .seq = seq, .hook_id = hook_id, .icmp_type = HM_ICMP_ECHO_REQUEST};
}

hm_event reply(std::uint32_t seq, std::uint64_t ts_ns) {
    return {.ts_ns = ts_ns, .seq = seq, .hook_id = kHook, .icmp_type = HM_ICMP_ECHO_REPLY};
}

// Three packets sent 1 ms apart, all replied to; a test supplies the events, which must outlive
// the Observation: it holds a view of them, as the runner's holds one of the event table's.
Observation three_packets(const std::vector<hm_event>& events) {
    return {.hook_id = kHook,
            .expected_icmp_type = HM_ICMP_ECHO_REQUEST,
            .send_ns = {1'000'000, 2'000'000, 3'000'000},
            .replied = {true, true, true},
            .events = events};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(Judge, PassesWhenHookFiredOncePerPacketAndAllRepliesCame) {
    const std::vector events{request(0, 1'000'100), request(1, 2'000'200), request(2, 3'000'300)};
    Judgement j = judge(three_packets(events));
    EXPECT_EQ(j.verdict, Verdict::Pass);
    EXPECT_EQ(j.reason, "fired once per echo request for all 3 packets; all replies returned");
    EXPECT_EQ(j.fired, 3u);
    EXPECT_EQ(j.replies, 3u);
}

TEST(Judge, PassReasonNamesEchoReplyWhenThatIsTheExpectedPacket) {
    const std::vector events{reply(0, 1'000'100), reply(1, 2'000'200), reply(2, 3'000'300)};
    Observation obs = three_packets(events);
    obs.expected_icmp_type = HM_ICMP_ECHO_REPLY;
    Judgement j = judge(obs);
    EXPECT_EQ(j.verdict, Verdict::Pass);
    EXPECT_TRUE(contains(j.reason, "once per echo reply")) << j.reason;
}

TEST(Judge, FailsWhenHookFiredForNoPacket) {
    Judgement j = judge(three_packets({}));
    EXPECT_EQ(j.verdict, Verdict::Fail);
    EXPECT_EQ(j.reason, "did not fire for any of 3 packets");
    EXPECT_EQ(j.fired, 0u);
    EXPECT_TRUE(j.samples_ns.empty());
}

TEST(Judge, FailsWhenHookFiredForSomePackets) {
    const std::vector events{request(0, 1'000'100), request(2, 3'000'300)};
    Judgement j = judge(three_packets(events));
    EXPECT_EQ(j.verdict, Verdict::Fail);
    EXPECT_EQ(j.reason, "fired for 2 of 3 packets");
    EXPECT_EQ(j.fired, 2u);
    EXPECT_EQ(j.samples_ns, (std::vector<std::uint64_t>{100, 300}));
}

TEST(Judge, FailsWhenHookFiredMoreThanOnceForAPacket) {
    const std::vector events{request(0, 1'000'100), request(1, 2'000'200), request(1, 2'000'900),
                             request(2, 3'000'300)};
    Judgement j = judge(three_packets(events));
    EXPECT_EQ(j.verdict, Verdict::Fail);
    EXPECT_EQ(j.reason, "fired for 3 of 3 packets, more than once for 1");
    EXPECT_EQ(j.fired, 2u); // packets seen exactly once
    // The first firing is the one timed.
    EXPECT_EQ(j.samples_ns, (std::vector<std::uint64_t>{100, 200, 300}));
}

TEST(Judge, FailsWhenEchoRepliesWereLost) {
    const std::vector events{request(0, 1'000'100), request(1, 2'000'200), request(2, 3'000'300)};
    Observation obs = three_packets(events);
    obs.replied = {true, false, false};
    Judgement j = judge(obs);
    EXPECT_EQ(j.verdict, Verdict::Fail);
    EXPECT_EQ(j.reason, "fired for all 3 packets but 2 echo replies were lost");
    EXPECT_EQ(j.fired, 3u);
    EXPECT_EQ(j.replies, 1u);
}

TEST(Judge, IgnoresEventsOfOtherHooks) {
    const std::vector events{request(0, 1'000'100), request(0, 1'000'050, kHook + 1),
                             request(1, 2'000'200), request(1, 2'000'050, kHook + 1),
                             request(2, 3'000'300), request(2, 3'000'050, kHook + 1)};
    Judgement j = judge(three_packets(events));
    EXPECT_EQ(j.verdict, Verdict::Pass) << j.reason;
    EXPECT_EQ(j.samples_ns, (std::vector<std::uint64_t>{100, 200, 300}));
}

TEST(Judge, OnlyOtherHooksFiringIsNoFiringAtAll) {
    const std::vector events{request(0, 1'000'100, kHook + 1), request(1, 2'000'200, kHook + 1),
                             request(2, 3'000'300, kHook + 1)};
    Judgement j = judge(three_packets(events));
    EXPECT_EQ(j.verdict, Verdict::Fail);
    EXPECT_EQ(j.reason, "did not fire for any of 3 packets");
}

TEST(Judge, CountsWrongIcmpTypeAsStrayNotAsHit) {
    // The hook saw only the replies: it fired in the other direction.
    const std::vector events{reply(0, 1'000'500), reply(1, 2'000'500), reply(2, 3'000'500)};
    Judgement j = judge(three_packets(events));
    EXPECT_EQ(j.verdict, Verdict::Fail);
    EXPECT_EQ(j.reason, "did not fire for any of 3 packets (saw 3 in the other direction)");
    EXPECT_EQ(j.fired, 0u);
    EXPECT_TRUE(j.samples_ns.empty());
}

TEST(Judge, StrayRepliesBesideExpectedRequestsStillPass) {
    const std::vector events{request(0, 1'000'100), reply(0, 1'000'500),   request(1, 2'000'200),
                             reply(1, 2'000'500),   request(2, 3'000'300), reply(2, 3'000'500)};
    Judgement j = judge(three_packets(events));
    EXPECT_EQ(j.verdict, Verdict::Pass) << j.reason;
    EXPECT_EQ(j.fired, 3u);
    EXPECT_EQ(j.samples_ns, (std::vector<std::uint64_t>{100, 200, 300}));
}

TEST(Judge, SequenceNumbersBeyondWhatWasSentAreNotHits) {
    const std::vector events{request(0, 1'000'100), request(1, 2'000'200), request(7, 3'000'300)};
    Judgement j = judge(three_packets(events));
    EXPECT_EQ(j.verdict, Verdict::Fail);
    EXPECT_EQ(j.reason, "fired for 2 of 3 packets");
}

TEST(Judge, SamplesAreInSendOrderAndEqualHookTimeMinusSendTime) {
    // The event table yields events lane by lane, not in time order; samples follow sequence
    // numbers.
    const std::vector events{request(2, 3'000'500), request(0, 1'000'100), request(1, 2'000'250)};
    Judgement j = judge(three_packets(events));
    EXPECT_EQ(j.verdict, Verdict::Pass) << j.reason;
    EXPECT_EQ(j.samples_ns, (std::vector<std::uint64_t>{100, 250, 500}));
}

TEST(Judge, IsAnErrorWhenNoPacketsWereSent) {
    Judgement j = judge({.hook_id = kHook, .send_ns = {}, .replied = {}, .events = {}});
    EXPECT_EQ(j.verdict, Verdict::Error);
    EXPECT_EQ(j.reason, "no packets were sent");
}

} // namespace
} // namespace hm

namespace hm {
namespace {

struct RunCountCase {
    std::uint64_t runs;
    std::uint32_t sent, replies;
    Verdict verdict;
    const char* reason;
};

TEST(JudgeRunCount, UsersProgramsAreJudgedOnTheKernelsRunCounter) {
    const RunCountCase cases[] = {
        {.runs = 20,
         .sent = 20,
         .replies = 20,
         .verdict = Verdict::Pass,
         .reason =
             "the program ran 20 times for 20 packets (kernel run counter); all replies returned"},
        {.runs = 23,
         .sent = 20,
         .replies = 20,
         .verdict = Verdict::Pass,
         .reason =
             "the program ran 23 times for 20 packets (kernel run counter); all replies returned"},
        {.runs = 0,
         .sent = 20,
         .replies = 20,
         .verdict = Verdict::Fail,
         .reason = "the program never ran for 20 packets"},
        {.runs = 7,
         .sent = 20,
         .replies = 20,
         .verdict = Verdict::Fail,
         .reason = "the program ran 7 times for 20 packets"},
        {.runs = 20,
         .sent = 20,
         .replies = 0,
         .verdict = Verdict::Fail,
         .reason = "the program ran 20 times for 20 packets but 20 echo replies were lost (does it "
                   "return the hook's pass action?)"},
        {.runs = 0,
         .sent = 0,
         .replies = 0,
         .verdict = Verdict::Error,
         .reason = "no packets were sent"},
    };
    for (const auto& c : cases) {
        Judgement j = judge_run_count(c.runs, c.sent, c.replies);
        EXPECT_EQ(j.verdict, c.verdict) << c.reason;
        EXPECT_EQ(j.reason, c.reason);
        EXPECT_LE(j.fired, c.sent);
        EXPECT_TRUE(j.samples_ns.empty());
    }
}

} // namespace
} // namespace hm

namespace hm {
namespace {

TEST(JudgeTrace, EachPacketOwnsTheLinesUntilTheNextSend) {
    const std::vector<std::uint64_t> sends{1000, 2000, 3000};
    Judgement j = judge_trace({1500, 2100, 2200, 3400}, sends, 3);
    EXPECT_EQ(j.verdict, Verdict::Pass) << j.reason;
    EXPECT_EQ(j.samples_ns, (std::vector<std::uint64_t>{500, 100, 400}));
    EXPECT_EQ(j.reason, "trace lines for all 3 packets (4 lines); all replies returned");
}

TEST(JudgeTrace, MissingLinesLostRepliesAndEarlyLinesAreFailures) {
    const std::vector<std::uint64_t> sends{1000, 2000, 3000};
    EXPECT_EQ(judge_trace({}, sends, 3).reason,
              "no trace line from the program for any of 3 packets");
    EXPECT_EQ(judge_trace({500, 1100, 3100}, sends, 3).reason, "trace lines for 2 of 3 packets");
    EXPECT_EQ(judge_trace({1100, 2100, 3100}, sends, 1).reason,
              "trace lines for all 3 packets but 2 echo replies were lost");
    EXPECT_EQ(judge_trace({}, {}, 0).verdict, Verdict::Error);
}

TEST(Judge, AProgramNoPacketCanReachIsAttachedWithTheReasonWhenItNeverRan) {
    const std::vector<hm_event> none;
    Observation obs = three_packets(none);
    obs.unreachable = "offloaded and verified: prog id 7 bound to ifindex 2";
    Judgement j = judge(obs);
    EXPECT_EQ(j.verdict, Verdict::Attached);
    EXPECT_EQ(j.reason, "offloaded and verified: prog id 7 bound to ifindex 2; it ran for none "
                        "of 3 packets, and all replies returned");
    EXPECT_EQ(j.fired, 0u);
}

TEST(Judge, AnUnreachableProgramThatRunsAfterAllIsJudgedAsAnyOther) {
    const std::vector events{request(0, 1'000'100), request(1, 2'000'200), request(2, 3'000'300)};
    Observation obs = three_packets(events);
    obs.unreachable = "netdevsim runs no native XDP";
    EXPECT_EQ(judge(obs).verdict, Verdict::Pass);
    const std::vector first_only{request(0, 1'000'100)};
    Observation some = three_packets(first_only);
    some.unreachable = obs.unreachable;
    EXPECT_EQ(judge(some).verdict, Verdict::Fail);
}

TEST(Judge, AnUnreachableProgramWithLostRepliesFails) {
    const std::vector<hm_event> none;
    Observation obs = three_packets(none);
    obs.unreachable = "netdevsim runs no native XDP";
    obs.replied = {true, false, true};
    Judgement j = judge(obs);
    EXPECT_EQ(j.verdict, Verdict::Fail);
    EXPECT_EQ(j.reason, "did not fire for any of 3 packets");
}

TEST(JudgeRunCount, AUsersProgramNoPacketCanReachIsAttached) {
    EXPECT_EQ(judge_run_count(0, 5, 5, "offloaded").verdict, Verdict::Attached);
    EXPECT_EQ(judge_run_count(0, 5, 4, "offloaded").verdict, Verdict::Fail);
    EXPECT_EQ(judge_run_count(5, 5, 5, "offloaded").verdict, Verdict::Pass);
    EXPECT_EQ(judge_run_count(0, 5, 5).verdict, Verdict::Fail);
}

} // namespace
} // namespace hm
