// The event table on this kernel: the probe, run with BPF_PROG_TEST_RUN on a hookmatrix echo,
// writes its slot and hookmatrix reads it back as events: each firing once, a second firing on
// the same packet as a repeat with the first one's time, lanes apart per hook and echo type, and
// a packet HM_SLOT_PACKETS later in the slot of the one it replaces.
#include "hookmatrix/event.h"
#include "matrix/hooks.h"
#include "runners/programs/event_table.h"
#include "runners/traffic/icmp_echo.h"
#include "runners/programs/probe.h"
#include "runners/programs/program.h"
#include "support.h"

#include <bpf/bpf.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace hm::test {
namespace {

constexpr std::uint32_t kMagic = 0x686d5431; // "hmT1"

using Frame = std::array<std::uint8_t, kEchoFrameBytes>;

Frame echo(std::uint8_t icmp_type, std::uint32_t seq) { return echo_frame(icmp_type, kMagic, seq); }

class EventTableTest : public LeavesHostUnchanged {
protected:
    void SetUp() override {
        LeavesHostUnchanged::SetUp();
        if (HasFatalFailure() || IsSkipped())
            return;
        auto t = EventTable::create();
        ASSERT_TRUE(t) << t.error().message();
        table_ = std::move(*t);
    }

    std::unique_ptr<Program> probe(std::uint16_t hook_id) {
        auto p = load_probe(*find_hook("tc-ingress"),
                            {.hook_id = hook_id, .magic = kMagic, .events_fd = table_->map_fd()});
        EXPECT_TRUE(p) << p.error().message() << "\n" << p.error().detail;
        return p ? std::move(*p) : nullptr;
    }

    static void fire(const Program& p, Frame frame) {
        LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(),
                    .data_size_in = static_cast<std::uint32_t>(frame.size()), .repeat = 1);
        ASSERT_EQ(bpf_prog_test_run_opts(p.fd(), &opts), 0) << std::strerror(errno);
    }

    std::unique_ptr<EventTable> table_;
};

TEST_F(EventTableTest, EachFiringIsOneEventInItsHooksLane) {
    auto a = probe(1), b = probe(2);
    ASSERT_TRUE(a && b);
    fire(*a, echo(HM_ICMP_ECHO_REQUEST, 0));
    fire(*b, echo(HM_ICMP_ECHO_REPLY, 0));
    fire(*a, echo(HM_ICMP_ECHO_REQUEST, 1));
    table_->collect_all(2);
    const auto& ev = table_->events();
    ASSERT_EQ(ev.size(), 3u);
    auto count = [&](std::uint16_t hook, std::uint8_t type, std::uint32_t seq) {
        return std::ranges::count_if(ev, [&](const hm_event& e) {
            return e.hook_id == hook && e.icmp_type == type && e.seq == seq;
        });
    };
    EXPECT_EQ(count(1, HM_ICMP_ECHO_REQUEST, 0), 1);
    EXPECT_EQ(count(1, HM_ICMP_ECHO_REQUEST, 1), 1);
    EXPECT_EQ(count(2, HM_ICMP_ECHO_REPLY, 0), 1);
    for (const hm_event& e : ev)
        EXPECT_NE(e.ts_ns, 0u);
    // Collected once: a second look yields nothing new.
    table_->collect_all(2);
    EXPECT_EQ(table_->events().size(), 3u);
}

TEST_F(EventTableTest, ASecondFiringOnOnePacketIsARepeatTimedAtTheFirst) {
    auto a = probe(1);
    ASSERT_TRUE(a);
    fire(*a, echo(HM_ICMP_ECHO_REQUEST, 5));
    table_->collect_recent(6);
    ASSERT_EQ(table_->events().size(), 1u);
    const std::uint64_t first = table_->events()[0].ts_ns;
    fire(*a, echo(HM_ICMP_ECHO_REQUEST, 5));
    table_->collect_recent(6);
    ASSERT_EQ(table_->events().size(), 2u);
    EXPECT_EQ(table_->events()[1].seq, 5u);
    EXPECT_EQ(table_->events()[1].ts_ns, first);
}

TEST_F(EventTableTest, APacketHmSlotPacketsLaterTakesTheSlotOver) {
    auto a = probe(3);
    ASSERT_TRUE(a);
    fire(*a, echo(HM_ICMP_ECHO_REQUEST, 9));
    table_->collect_recent(10);
    fire(*a, echo(HM_ICMP_ECHO_REQUEST, 9 + HM_SLOT_PACKETS));
    table_->collect_recent(10 + HM_SLOT_PACKETS);
    const auto& ev = table_->events();
    ASSERT_EQ(ev.size(), 2u);
    EXPECT_EQ(ev[0].seq, 9u);
    EXPECT_EQ(ev[1].seq, 9u + HM_SLOT_PACKETS);
    EXPECT_GT(ev[1].ts_ns, ev[0].ts_ns);
}

TEST_F(EventTableTest, AHookIdWithoutSlotsIsRefusedBeforeLoading) {
    auto p = load_probe(*find_hook("tc-ingress"),
                        {.hook_id = HM_SLOT_HOOKS, .magic = kMagic, .events_fd = table_->map_fd()});
    ASSERT_FALSE(p);
    EXPECT_NE(p.error().message().find("has no slots in the event table"), std::string::npos)
        << p.error().message();
}

} // namespace
} // namespace hm::test
