// core/trace_instance.h parse_trace_line: the lines tracefs writes for bpf_trace_printk.
#include "core/trace_instance.h"

#include <gtest/gtest.h>

namespace hm {
namespace {

TEST(TraceLine, ParsesTaskPidMonotonicTimeAndText) {
    auto t = parse_trace_line(
        "      hookmatrix-13049   [000] ..s2.  5826.213778: bpf_trace_printk: Hello, World!");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->task, "hookmatrix");
    EXPECT_EQ(t->pid, 13049);
    EXPECT_EQ(t->ts_ns, 5826'213'778'000ull);
    EXPECT_EQ(t->text, "Hello, World!");
}

TEST(TraceLine, TaskNamesMayHoldDashesAndSpaces) {
    auto t =
        parse_trace_line(" tap-mq pong-x-25908 [001] b..1. 12.000001: bpf_trace_printk: tc: hi");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->task, "tap-mq pong-x");
    EXPECT_EQ(t->pid, 25908);
    EXPECT_EQ(t->ts_ns, 12'000'001'000ull);
    EXPECT_EQ(t->text, "tc: hi");
}

TEST(TraceLine, HeadersAndOtherEventsAreNotLines) {
    EXPECT_FALSE(parse_trace_line("# tracer: nop"));
    EXPECT_FALSE(parse_trace_line(""));
    EXPECT_FALSE(parse_trace_line("  bash-1 [000] ..... 1.000000: sched_switch: prev_comm=bash"));
}

} // namespace
} // namespace hm
