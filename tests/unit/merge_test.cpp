// matrix/results/merge.h: shards and runs from several machines joined into one run.
#include "matrix/results/merge.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace hm {
namespace {

using namespace std::chrono_literals;
const auto kT0 = std::chrono::system_clock::time_point(1'769'860'800s);

CellResult cell(std::string hook, std::string device, std::string kernel = "6.1") {
    return {.hook = std::move(hook), .device = std::move(device), .kernel = std::move(kernel),
            .verdict = Verdict::Pass, .reason = "ok"};
}

RunResult run(std::vector<CellResult> cells, std::string host = "ci-1", std::string kernel = "6.1",
              std::chrono::system_clock::time_point started = kT0, double duration = 2) {
    return {.run = {.tool_version = "0.1.0", .libbpf_version = "1.1", .host = std::move(host),
                    .kernel_release = std::move(kernel), .command_line = "hookmatrix run",
                    .started = started, .duration_s = duration, .packets_per_cell = 100,
                    .shard = "1/2"},
            .cells = std::move(cells)};
}

TEST(Merge, CellsComeOutInCatalogueOrderWhateverTheInputOrder) {
    auto m = merge_runs({{"b.json", run({cell("tc-egress", "veth"), cell("xdpgeneric", "lo")})},
                         {"a.json", run({cell("tc-ingress", "veth"), cell("xdpgeneric", "veth")})}},
                        "hookmatrix merge b.json a.json -o out");
    ASSERT_TRUE(m) << m.error().message();
    std::vector<std::string> ids;
    for (const auto& c : m->cells)
        ids.push_back(c.hook + "/" + c.device);
    EXPECT_EQ(ids, (std::vector<std::string>{"xdpgeneric/veth", "xdpgeneric/lo", "tc-ingress/veth",
                                             "tc-egress/veth"}));
    EXPECT_EQ(m->run.command_line, "hookmatrix merge b.json a.json -o out");
    EXPECT_TRUE(m->run.shard.empty());
}

TEST(Merge, RunInfoTakesTheEarliestStartAndTheSumOfDurations) {
    auto m = merge_runs({{"a.json", run({cell("tc-ingress", "veth")}, "ci-1", "6.1", kT0 + 60s, 2)},
                         {"b.json", run({cell("tc-egress", "veth")}, "ci-1", "6.1", kT0, 3.5)}},
                        "merge");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->run.started, kT0);
    EXPECT_DOUBLE_EQ(m->run.duration_s, 5.5);
    EXPECT_EQ(m->run.host, "ci-1");
    EXPECT_TRUE(m->run.hosts.empty()); // all the same: no list
    EXPECT_TRUE(m->run.kernels.empty());
    EXPECT_EQ(m->run.packets_per_cell, 100u);
}

TEST(Merge, DifferentHostsAndKernelsAreListed) {
    auto m = merge_runs({{"a.json", run({cell("tc-ingress", "veth", "6.1")}, "ci-1", "6.1")},
                         {"b.json", run({cell("tc-ingress", "veth", "6.6")}, "ci-2", "6.6")},
                         {"c.json", run({cell("tc-egress", "veth", "6.6")}, "ci-2", "6.6")}},
                        "merge");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->run.hosts, (std::vector<std::string>{"ci-1", "ci-2"}));
    EXPECT_EQ(m->run.kernels, (std::vector<std::string>{"6.1", "6.6"}));
    EXPECT_EQ(m->run.kernel_release, "6.1");
    ASSERT_EQ(m->cells.size(), 3u);
    EXPECT_EQ(m->cells[1].kernel, "6.6"); // tc-ingress on 6.6 after 6.1
}

TEST(Merge, ADuplicateCellIsAnErrorNamingBothFilesAndTheCell) {
    auto m = merge_runs({{"shard1.json", run({cell("tc-ingress", "veth")})},
                         {"shard2.json", run({cell("tc-ingress", "veth")})}},
                        "merge");
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().what,
              "shard1.json and shard2.json both hold the cell tc-ingress on veth, kernel 6.1");
}

TEST(Merge, ACellTwiceInOneFileIsAnError) {
    auto m = merge_runs({{"a.json", run({cell("tc-ingress", "veth"), cell("tc-ingress", "veth")})}},
                        "merge");
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().what, "a.json holds the cell tc-ingress on veth, kernel 6.1 twice");
}

TEST(Merge, ChoirsAreConcatenatedInDeviceOrderAndConflictsAreErrors) {
    RunResult a = run({cell("tc-ingress", "veth")});
    a.choirs.push_back({.device = "tap", .kernel = "6.1"});
    RunResult b = run({cell("tc-egress", "veth")});
    b.choirs.push_back({.device = "veth", .kernel = "6.1"});
    auto m = merge_runs({{"a.json", a}, {"b.json", b}}, "merge");
    ASSERT_TRUE(m);
    ASSERT_EQ(m->choirs.size(), 2u);
    EXPECT_EQ(m->choirs[0].device, "veth");
    EXPECT_EQ(m->choirs[1].device, "tap");

    RunResult c = run({cell("xdpgeneric", "veth")});
    c.choirs.push_back({.device = "veth", .kernel = "6.1"});
    auto conflict = merge_runs({{"b.json", b}, {"c.json", c}}, "merge");
    ASSERT_FALSE(conflict);
    EXPECT_NE(conflict.error().what.find("b.json and c.json both hold a choir on veth, kernel 6.1"),
              std::string::npos)
        << conflict.error().what;
}

TEST(Merge, NothingToMergeIsAnError) { EXPECT_FALSE(merge_runs({}, "merge")); }

} // namespace
} // namespace hm
