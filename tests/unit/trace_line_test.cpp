// core/trace_instance.h parse_trace_line: the lines tracefs writes for bpf_trace_printk.
#include "core/trace_instance.h"

#include <gtest/gtest.h>

#include <sstream>

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

TEST(TraceLine, ParsesTheCpu) {
    auto t = parse_trace_line("  ping-7   [003] b..11 1.000002: bpf_trace_printk: x");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->cpu, 3);
}

TEST(TraceStacks, EachStackBelongsToTheLastLineOfItsCpu) {
    // As a tracing instance with options/stacktrace and options/sym-addr writes it; the line of
    // CPU 1 comes between CPU 0's line and CPU 0's stack.
    std::istringstream in(R"(# tracer: nop
            ping-17   [000] b..11 17.000001: bpf_trace_printk: Hello, World!

            ping-18   [001] b..11 17.000002: bpf_trace_printk: Hello, World!

            ping-17   [000] b..11 17.000003: <stack trace>
 => bpf_trace_printk <ffffffff814ce0fd>
 => bpf_prog_09ca615694fb201a__hello <ffffffffc0027459>
 => tcf_classify <ffffffff81f00001>
            ping-18   [001] b..11 17.000004: <stack trace>
 => bpf_prog_09ca615694fb201a__hello <ffffffffc0027625>
            ping-17   [000] b..11 17.000005: bpf_trace_printk: no stack
)");
    const std::vector<TraceLine> lines = parse_trace(in);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].stack, (std::vector<std::uint64_t>{0xffffffff814ce0fd, 0xffffffffc0027459,
                                                          0xffffffff81f00001}));
    EXPECT_EQ(lines[1].stack, (std::vector<std::uint64_t>{0xffffffffc0027625}));
    EXPECT_TRUE(lines[2].stack.empty());
    EXPECT_EQ(lines[2].text, "no stack");
}

TEST(TraceStacks, FramesWithoutAnAddressOrWithoutALineAreIgnored) {
    EXPECT_FALSE(parse_stack_frame(" => bpf_trace_printk"));
    EXPECT_EQ(parse_stack_frame(" => f+0x1/0x2 <00000000000000ff>"), 0xffu);
    std::istringstream in("  ping-1 [000] b..11 1.000001: <stack trace>\n => f <ffff>\n");
    EXPECT_TRUE(parse_trace(in).empty());
}

} // namespace
} // namespace hm
