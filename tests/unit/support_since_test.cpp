// matrix/compare/support_since.h: since which kernel a hook works on a device, and where a later
// kernel lost it, on synthetic results.
#include "matrix/compare/support_since.h"

#include <gtest/gtest.h>

namespace hm {
namespace {

// Kernels 5.10, 6.1, 6.12, the host 6.18, 7.3-rc5; each hook's verdicts on them in that order
// ('p' pass, 'a' attached, 'f' fail, 'u' unsupported, 'e' error, '.' not run).
RunResult results(const std::vector<std::pair<std::string, std::string>>& hooks) {
    const std::vector<std::string> kernels{"7.3-rc5", "6.18.0", "5.10.0-35", "6.1.0-40", "6.12.57"};
    const std::string in_order[] = {"5.10.0-35", "6.1.0-40", "6.12.57", "6.18.0", "7.3-rc5"};
    RunResult r;
    r.run.kernel_release = "6.18.0";
    for (const auto& k : kernels)
        r.run.kernel_runs.push_back(
            {.name = k == "6.18.0" ? "host" : "debian", .release = k, .how = k == "6.18.0" ? "host" : "tcg"});
    for (const auto& [hook, verdicts] : hooks)
        for (std::size_t i = 0; i < verdicts.size(); ++i) {
            Verdict v;
            switch (verdicts[i]) {
            case 'p': v = Verdict::Pass; break;
            case 'a': v = Verdict::Attached; break;
            case 'f': v = Verdict::Fail; break;
            case 'u': v = Verdict::Unsupported; break;
            case 'e': v = Verdict::Error; break;
            default: continue;
            }
            // Cells in an order other than the kernels', as guests finish.
            r.cells.insert(r.cells.begin(), CellResult{.hook = hook,
                                                      .device = "veth",
                                                      .kernel = in_order[i],
                                                      .verdict = v,
                                                      .reason = "why " + hook});
        }
    return r;
}

struct Row {
    std::optional<std::string> since, last_without;
    std::vector<std::string> lost, unknown;
    bool operator==(const Row&) const = default;
};

std::map<std::string, Row> rows_of(const RunResult& r) {
    const KernelAxis axis(r);
    std::map<std::string, Row> out;
    for (const auto& row : support_since(r, axis)) {
        Row& o = out[row.hook];
        auto key = [&](std::size_t i) { return row.kernels[i].kernel; };
        if (row.since)
            o.since = key(*row.since);
        if (row.last_without)
            o.last_without = key(*row.last_without);
        for (auto i : row.lost)
            o.lost.push_back(key(i));
        for (auto i : row.unknown)
            o.unknown.push_back(key(i));
    }
    return out;
}

TEST(SupportSince, FindsTheFirstKernelThatWorksAndTheLastThatDidNot) {
    const auto rows = rows_of(results({{"tcx-ingress", "uuppp"},
                                       {"tc-ingress", "ppppp"},
                                       {"netfilter", "ffapp"},
                                       {"never", "fuuuf"}}));
    EXPECT_EQ(rows.at("tcx-ingress"), (Row{"6.12.57", "6.1.0-40", {}, {}}));
    EXPECT_EQ(rows.at("tc-ingress"), (Row{"5.10.0-35", std::nullopt, {}, {}}));
    // Attached counts as working: the kernel took the program.
    EXPECT_EQ(rows.at("netfilter"), (Row{"6.12.57", "6.1.0-40", {}, {}}));
    EXPECT_EQ(rows.at("never"), (Row{std::nullopt, "7.3-rc5", {}, {}}));
}

TEST(SupportSince, AKernelThatLosesSupportIsARegression) {
    const auto r = results({{"xdpdrv", "upfpu"}, {"steady", "ppppp"}});
    const auto rows = rows_of(r);
    EXPECT_EQ(rows.at("xdpdrv"), (Row{"6.1.0-40", "5.10.0-35", {"6.12.57", "7.3-rc5"}, {}}));
    const KernelAxis axis(r);
    for (const auto& row : support_since(r, axis)) {
        EXPECT_EQ(row.regressed(), row.hook == "xdpdrv");
        if (row.hook == "xdpdrv") {
            EXPECT_EQ(since_text(row, axis),
                      "since 6.1.0-40 (debian, TCG) (not on 5.10.0-35 (debian, TCG)); LOST on "
                      "6.12.57 (debian, TCG), 7.3-rc5 (debian, TCG) (a regression in support)");
        } else {
            EXPECT_EQ(since_text(row, axis), "on every kernel of the run");
        }
    }
}

TEST(SupportSince, AnErrorSaysNothingOfSupportAndAGapIsNoKernel) {
    const auto r = results({{"tcx", "uepe."}, {"broken", "eeeee"}, {"late", "..ppp"}});
    const auto rows = rows_of(r);
    EXPECT_EQ(rows.at("tcx"), (Row{"6.12.57", "5.10.0-35", {}, {"6.1.0-40", "6.18.0"}}));
    EXPECT_EQ(rows.at("broken"), (Row{std::nullopt, std::nullopt, {}, {"5.10.0-35", "6.1.0-40", "6.12.57", "6.18.0", "7.3-rc5"}}));
    // Not run on 5.10 and 6.1: since the first kernel it ran on, which is every kernel it met.
    EXPECT_EQ(rows.at("late"), (Row{"6.12.57", std::nullopt, {}, {}}));
    const KernelAxis axis(r);
    for (const auto& row : support_since(r, axis)) {
        if (row.hook == "broken") {
            EXPECT_EQ(since_text(row, axis), "unknown: an error on every kernel");
        }
        if (row.hook == "tcx") {
            EXPECT_EQ(since_text(row, axis),
                      "since 6.12.57 (debian, TCG) (not on 5.10.0-35 (debian, TCG)); error on "
                      "6.1.0-40 (debian, TCG), 6.18.0 (host)");
        }
    }
}

TEST(SupportSince, RowsGoByDeviceThenHookInTheOrderTheRunMetThem) {
    RunResult r = results({{"a", "pp"}, {"b", "pp"}});
    auto lo = r.cells;
    for (auto& c : lo)
        c.device = "lo";
    r.cells.insert(r.cells.begin(), lo.begin(), lo.end());
    const KernelAxis axis(r);
    const auto rows = support_since(r, axis);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(support_devices(rows), (std::vector<std::string>{"lo", "veth"}));
    EXPECT_EQ(rows[0].device, "lo");
    EXPECT_EQ(rows[3].device, "veth");
    EXPECT_EQ(rows[0].kernels.front().kernel, "5.10.0-35");
}

} // namespace
} // namespace hm
