// runners/choir_order.h: which hooks sing in a choir, and the order they fired in, from events
// alone.
#include "runners/choir_order.h"

#include "matrix/devices.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace hm {
namespace {

using Order = std::vector<std::string>;

// tc-egress hears the request, tc-ingress the reply: the path of one echo on veth.
const std::vector<ChoirSinger> kSingers{
    {.hook = "tc-egress", .id = 1, .expected_icmp_type = HM_ICMP_ECHO_REQUEST},
    {.hook = "tc-ingress", .id = 2, .expected_icmp_type = HM_ICMP_ECHO_REPLY},
};

hm_event fired(std::uint16_t id, std::uint32_t seq, std::uint64_t ts_ns, std::uint8_t type) {
    return {.ts_ns = ts_ns, .seq = seq, .hook_id = id, .icmp_type = type};
}

// Packet `seq` heard by egress at +100 ns and ingress at +300 ns of its slot.
std::vector<hm_event> in_path_order(std::uint32_t packets) {
    std::vector<hm_event> events;
    for (std::uint32_t seq = 0; seq < packets; ++seq) {
        events.push_back(fired(1, seq, seq * 1000 + 100, HM_ICMP_ECHO_REQUEST));
        events.push_back(fired(2, seq, seq * 1000 + 300, HM_ICMP_ECHO_REPLY));
    }
    return events;
}

TEST(ChoirOrder, EveryPacketInTheSameOrder_IsTheOrderWithNoDeviation) {
    FiringOrder o = firing_order(in_path_order(4), kSingers, 4);
    EXPECT_EQ(o.order, (Order{"tc-egress", "tc-ingress"}));
    EXPECT_EQ(o.same_order, 4u);
    EXPECT_TRUE(o.deviations.empty());
}

TEST(ChoirOrder, OrderFollowsTimeNotTheEventsArrival) {
    std::vector<hm_event> events = in_path_order(3);
    std::ranges::reverse(events);
    EXPECT_EQ(firing_order(events, kSingers, 3).order, (Order{"tc-egress", "tc-ingress"}));
}

TEST(ChoirOrder, APacketHeardInAnotherOrder_IsADeviationWithItsSequence) {
    std::vector<hm_event> events = in_path_order(4);
    events[4].ts_ns = 2900; // packet 2: egress after ingress
    FiringOrder o = firing_order(events, kSingers, 4);
    EXPECT_EQ(o.same_order, 3u);
    ASSERT_EQ(o.deviations.size(), 1u);
    EXPECT_EQ(o.deviations[0].seq, 2u);
    EXPECT_EQ(o.deviations[0].order, (Order{"tc-ingress", "tc-egress"}));
}

TEST(ChoirOrder, AHookThatMissedAPacket_MakesItADeviation) {
    std::vector<hm_event> events = in_path_order(3);
    events.erase(events.begin() + 3); // packet 1's ingress firing
    FiringOrder o = firing_order(events, kSingers, 3);
    ASSERT_EQ(o.deviations.size(), 1u);
    EXPECT_EQ(o.deviations[0].order, (Order{"tc-egress"}));
}

TEST(ChoirOrder, OnlyTheFirstFiringOnTheListenedForPacketCounts) {
    // Read first, so that a rule that took them would change the order.
    std::vector<hm_event> events{
        fired(2, 0, 50, HM_ICMP_ECHO_REQUEST), // ingress on the request: not what it hears
    };
    for (const hm_event& e : in_path_order(2))
        events.push_back(e);
    events.push_back(fired(2, 0, 90, HM_ICMP_ECHO_REPLY)); // a second firing, as if earlier
    FiringOrder o = firing_order(events, kSingers, 2);
    EXPECT_EQ(o.same_order, 2u);
    EXPECT_TRUE(o.deviations.empty());
}

TEST(ChoirOrder, EventsOfUnknownHooksOrPacketsNeverSentAreIgnored) {
    std::vector<hm_event> events = in_path_order(2);
    events.push_back(fired(9, 0, 10, HM_ICMP_ECHO_REQUEST)); // no such singer
    events.push_back(fired(0, 1, 10, HM_ICMP_ECHO_REQUEST)); // id 0 is nobody's
    events.push_back(fired(1, 7, 10, HM_ICMP_ECHO_REQUEST)); // beyond the packets sent
    FiringOrder o = firing_order(events, kSingers, 2);
    EXPECT_EQ(o.same_order, 2u);
    EXPECT_EQ(o.order, (Order{"tc-egress", "tc-ingress"}));
}

TEST(ChoirOrder, AUsersProgramWritesNoEvents_SoItIsNotInTheOrder) {
    std::vector<ChoirSinger> singers = kSingers;
    singers[0].user = true;
    EXPECT_EQ(firing_order(in_path_order(2), singers, 2).order, (Order{"tc-ingress"}));
}

TEST(ChoirOrder, OnATieTheFirstOrderInLexicalOrderIsTaken) {
    std::vector<hm_event> events = in_path_order(2);
    events[2].ts_ns = 1400; // packet 1: egress after ingress; one packet each way
    FiringOrder o = firing_order(events, kSingers, 2);
    EXPECT_EQ(o.order, (Order{"tc-egress", "tc-ingress"}));
    EXPECT_EQ(o.same_order, 1u);
}

TEST(ChoirOrder, DeviationsStopAtTheLimit) {
    std::vector<hm_event> events = in_path_order(30);
    for (std::uint32_t seq = 0; seq < 12; ++seq)
        events[2 * seq].ts_ns = seq * 1000 + 500; // 12 packets with egress after ingress
    FiringOrder o = firing_order(events, kSingers, 30, 5);
    EXPECT_EQ(o.same_order, 18u);
    EXPECT_EQ(o.deviations.size(), 5u);
}

TEST(ChoirOrder, NoPackets_NoOrder) {
    FiringOrder o = firing_order({}, kSingers, 0);
    EXPECT_TRUE(o.order.empty());
    EXPECT_EQ(o.same_order, 0u);
}

std::vector<const HookSpec*> hooks(std::initializer_list<const char*> names) {
    std::vector<const HookSpec*> out;
    for (const char* n : names)
        out.push_back(find_hook(n));
    return out;
}

std::vector<std::string> names(const std::vector<const HookSpec*>& hs) {
    std::vector<std::string> out;
    for (const HookSpec* h : hs)
        out.emplace_back(h->name);
    return out;
}

TEST(ChoirHooks, XdpAndXdpOffloadNeverSing) {
    const auto sing =
        choir_hooks(*find_device("veth"), true, hooks({"xdp", "xdpoffload", "tc-ingress"}));
    EXPECT_EQ(names(sing), (Order{"tc-ingress"}));
}

TEST(ChoirHooks, WithBothXdpModesAsked_NativeWinsWhereTheDeviceHasIt) {
    const auto asked = hooks({"xdpgeneric", "xdpdrv"});
    EXPECT_EQ(names(choir_hooks(*find_device("veth"), true, asked)), (Order{"xdpdrv"}));
    EXPECT_EQ(names(choir_hooks(*find_device("veth"), false, asked)), (Order{"xdpgeneric"}));
}

TEST(ChoirHooks, GenericXdpAloneSingsEvenWhereNativeExists) {
    EXPECT_EQ(names(choir_hooks(*find_device("veth"), true, hooks({"xdpgeneric"}))),
              (Order{"xdpgeneric"}));
}

TEST(ChoirHooks, PairsTheRulesLeaveOutAndHooksNotAskedForDoNotSing) {
    const auto sing = choir_hooks(*find_device("veth"), true, hooks({"tun-steering", "tc-egress"}));
    EXPECT_EQ(names(sing), (Order{"tc-egress"}));
}

TEST(ChoirHooks, TheChoirSingsInCatalogueOrder) {
    const auto sing = choir_hooks(*find_device("veth"), true, hooks({"tc-egress", "tc-ingress"}));
    EXPECT_EQ(names(sing), (Order{"tc-ingress", "tc-egress"}));
}

using Lines = std::vector<std::pair<std::uint64_t, std::string>>;

TEST(TraceOrder, EachLineBelongsToTheLastPacketSentBeforeIt) {
    const std::vector<std::uint64_t> sent{1000, 2000};
    const Lines lines{{1100, "egress"},
                      {1200, "ingress"},
                      {2100, "egress"},
                      {2200, "ingress"},
                      {500, "before any packet"}};
    TraceOrder t = trace_order(lines, sent, 2);
    EXPECT_EQ(t.order, (Order{"egress", "ingress"}));
    EXPECT_FALSE(t.failure);
}

TEST(TraceOrder, APacketWithFewerLinesThanPrograms_FailsNamingIt) {
    const std::vector<std::uint64_t> sent{1000, 2000, 3000};
    const Lines lines{{1100, "a"}, {1200, "b"}, {2100, "a"}, {3100, "a"}, {3200, "b"}};
    TraceOrder t = trace_order(lines, sent, 2);
    ASSERT_TRUE(t.failure);
    EXPECT_EQ(*t.failure, "packet 1 left 1 trace lines for 2 programs");
    EXPECT_EQ(t.order, (Order{"a", "b"}));
}

// Users' Hello-World programs at three hooks, each loaded apart: its own JIT image.
const std::vector<ChoirSinger> kUsers{
    {.hook = "tc-egress", .id = 1, .user = true, .code = {{0x1000, 0x1050}}},
    {.hook = "xdpgeneric", .id = 2, .user = true, .code = {{0x2000, 0x2050}}},
    {.hook = "tc-ingress", .id = 3, .user = true, .code = {{0x3000, 0x3050}, {0x3100, 0x3110}}},
};

TraceLine printed(std::uint64_t ts_ns, std::vector<std::uint64_t> stack) {
    return {.ts_ns = ts_ns, .text = "Hello, World!", .stack = std::move(stack)};
}

TEST(TraceFirings, EachLineIsTheHookWhoseProgramsCodeIsOnItsStack) {
    const std::vector<std::uint64_t> sent{1000, 2000};
    const std::vector<TraceLine> lines{
        printed(500, {0x1010}),                          // before any packet: nobody's
        printed(1100, {0xffff0000, 0x1010, 0xffff1000}), // the printk frame, then the program's
        printed(1200, {0x2049}),
        printed(1300, {0x3105}), // a subprogram of tc-ingress's program
        printed(2100, {0x1050}), // one past the end: nobody's
        printed(2200, {}),       // no stack recorded
    };
    const std::vector<Firing> f = trace_firings(lines, sent, kUsers);
    ASSERT_EQ(f.size(), 3u);
    EXPECT_EQ(f[0].hook_id, 1);
    EXPECT_EQ(f[0].seq, 0u);
    EXPECT_EQ(f[0].ts_ns, 1100u);
    EXPECT_EQ(f[1].hook_id, 2);
    EXPECT_EQ(f[2].hook_id, 3);
}

TEST(FiringOrder, UsersProgramsAreOrderedByTheirLinesBesideProbeEvents) {
    // Two users' programs (heard by lines) and a probe (heard by events), on three packets; the
    // second packet's lines came in another order.
    const std::vector<ChoirSinger> singers{
        kUsers[0],
        {.hook = "xdpgeneric", .id = 2, .expected_icmp_type = HM_ICMP_ECHO_REPLY},
        kUsers[2],
    };
    const std::vector<hm_event> events{fired(2, 0, 1200, HM_ICMP_ECHO_REPLY),
                                       fired(2, 1, 2200, HM_ICMP_ECHO_REPLY),
                                       fired(2, 2, 3200, HM_ICMP_ECHO_REPLY)};
    const std::vector<Firing> lines{
        {.seq = 0, .ts_ns = 1100, .hook_id = 1}, {.seq = 0, .ts_ns = 1300, .hook_id = 3},
        {.seq = 0, .ts_ns = 1400, .hook_id = 3}, // a second line
        {.seq = 1, .ts_ns = 2100, .hook_id = 3}, {.seq = 1, .ts_ns = 2300, .hook_id = 1},
        {.seq = 2, .ts_ns = 3100, .hook_id = 1}, {.seq = 2, .ts_ns = 3300, .hook_id = 3}};
    FiringOrder o = firing_order(events, singers, 3, 10, lines);
    EXPECT_EQ(o.order, (Order{"tc-egress", "xdpgeneric", "tc-ingress"}));
    EXPECT_EQ(o.same_order, 2u);
    ASSERT_EQ(o.deviations.size(), 1u);
    EXPECT_EQ(o.deviations[0].seq, 1u);
    EXPECT_EQ(o.deviations[0].order, (Order{"tc-ingress", "xdpgeneric", "tc-egress"}));
}

TEST(FiringOrder, LinesOfAHookWithAProbeAreNotItsFirings) {
    // A probe speaks through events; a line can only be a user's program's.
    const std::vector<Firing> lines{{.seq = 0, .ts_ns = 100, .hook_id = 1}};
    FiringOrder o = firing_order({}, kSingers, 1, 10, lines);
    EXPECT_TRUE(o.order.empty());
}

} // namespace
} // namespace hm
