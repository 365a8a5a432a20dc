// runners/throughput_run.h guest_bench_args: a guest's `hookmatrix bench` repeats the request's
// options, so "native vs generic on 5.10 vs 6.12" measures the same thing in every guest.
#include "runners/throughput_run.h"

#include <gtest/gtest.h>

namespace hm {
namespace {

using Args = std::vector<std::string>;

TEST(GuestBenchArgs, RepeatTheWindowsActionAndBothSourcesWithoutXdpBench) {
    ThroughputRequest req;
    req.options.window = std::chrono::milliseconds(500);
    req.options.windows = 3;
    EXPECT_EQ(guest_bench_args(req), (Args{"--seconds", "0.5", "--windows", "3", "--action",
                                           "drop", "--source", "both", "--no-xdp-bench"}));
}

TEST(GuestBenchArgs, OneSourcePassAndARateCapGoAlong) {
    ThroughputRequest req;
    req.options.window = std::chrono::milliseconds(2000);
    req.options.windows = 7;
    req.options.action = CounterAction::Pass;
    req.options.source_max_pps = 250000;
    req.sources = {SourceKind::Skb};
    EXPECT_EQ(guest_bench_args(req),
              (Args{"--seconds", "2", "--windows", "7", "--action", "pass", "--source", "skb",
                    "--no-xdp-bench", "--source-max-pps", "250000"}));
    req.sources = {SourceKind::Xdp};
    const Args xdp = guest_bench_args(req);
    ASSERT_GE(xdp.size(), 8u);
    EXPECT_EQ(xdp[7], "xdp");
}

} // namespace
} // namespace hm
