// matrix/enumerate.h and matrix/rules.h: from a selection to the cells a run executes.
#include "matrix/enumerate.h"
#include "matrix/rules.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace hm {
namespace {

std::vector<std::string> ids(const Plan& plan) {
    std::vector<std::string> out;
    for (const auto& c : plan.cells)
        out.push_back(c.id());
    return out;
}

TEST(Enumerate, DefaultSelectionIsEveryMeaningfulHookDevicePairInCatalogueOrder) {
    auto plan = enumerate({});
    ASSERT_TRUE(plan) << plan.error().message();
    std::vector<std::string> expected, left_out;
    for (const auto& h : all_hooks())
        for (const auto& d : all_devices())
            (excluded(h, d) ? left_out : expected)
                .push_back(std::string(h.name) + "/" + std::string(d.name) + "@host");
    EXPECT_EQ(ids(*plan), expected);
    EXPECT_EQ(plan->cells.size() + plan->excluded.size(),
              all_hooks().size() * all_devices().size());
    std::vector<std::string> excluded_ids;
    for (const auto& x : plan->excluded) {
        excluded_ids.push_back(x.cell.id());
        EXPECT_FALSE(x.reason.empty()) << x.cell.id();
    }
    EXPECT_EQ(excluded_ids, left_out);
}

TEST(Enumerate, XdpdrvOnLoopbackIsLeftOutWithTheReason) {
    auto plan = enumerate({.hooks = {"xdpdrv"}, .devices = {"lo"}});
    ASSERT_TRUE(plan) << plan.error().message();
    EXPECT_TRUE(plan->cells.empty());
    ASSERT_EQ(plan->excluded.size(), 1u);
    EXPECT_NE(plan->excluded[0].reason.find("no native XDP"), std::string::npos);
}

TEST(Enumerate, CellsPointIntoTheCatalogues) {
    auto plan = enumerate({.hooks = {"tc-egress"}, .devices = {"veth"}});
    ASSERT_TRUE(plan) << plan.error().message();
    ASSERT_EQ(plan->cells.size(), 1u);
    EXPECT_EQ(plan->cells[0].hook, find_hook("tc-egress"));
    EXPECT_EQ(plan->cells[0].device, find_device("veth"));
    EXPECT_EQ(plan->cells[0].kernel, "host");
    EXPECT_EQ(plan->cells[0].id(), "tc-egress/veth@host");
}

TEST(Enumerate, SelectionOrderAndDuplicatesDoNotChangeThePlan) {
    auto forward = enumerate({.hooks = {"xdpgeneric", "tc-egress"}, .devices = {"veth"}});
    auto shuffled =
        enumerate({.hooks = {"tc-egress", "xdpgeneric", "tc-egress"}, .devices = {"veth", "veth"}});
    ASSERT_TRUE(forward) << forward.error().message();
    ASSERT_TRUE(shuffled) << shuffled.error().message();
    EXPECT_EQ(ids(*forward),
              (std::vector<std::string>{"xdpgeneric/veth@host", "tc-egress/veth@host"}));
    EXPECT_EQ(ids(*shuffled), ids(*forward));
}

TEST(Enumerate, ExplicitHostKernelIsTheDefault) {
    auto plan = enumerate({.hooks = {"xdpdrv"}, .devices = {"veth"}, .kernels = {"host"}});
    ASSERT_TRUE(plan) << plan.error().message();
    EXPECT_EQ(ids(*plan), (std::vector<std::string>{"xdpdrv/veth@host"}));
}

struct UnknownNameCase {
    Selection selection;
    std::string complaint; // the bad name, as the message quotes it
    std::string known;     // the list of valid names the message offers
};

TEST(Enumerate, UnknownNameIsAnErrorNamingItAndListingTheKnownOnes) {
    const UnknownNameCase cases[] = {
        {.selection = {.hooks = {"tc-ingress", "no-such-hook"}},
         .complaint = "unknown hook 'no-such-hook'",
         .known = "known: xdp, xdpgeneric, xdpdrv, xdpoffload, tc-ingress"},
        {.selection = {.devices = {"no-such-device"}},
         .complaint = "unknown device 'no-such-device'",
         .known = "known: veth, lo"},
        {.selection = {.kernels = {"6.1"}},
         .complaint = "unknown kernel '6.1'",
         .known = "expected host, debian:SERIES"},
    };
    for (const auto& c : cases) {
        auto plan = enumerate(c.selection);
        ASSERT_FALSE(plan) << c.complaint;
        EXPECT_NE(plan.error().what.find(c.complaint), std::string::npos) << plan.error().what;
        EXPECT_NE(plan.error().what.find(c.known), std::string::npos) << plan.error().what;
    }
}

TEST(SplitList, SplitsOnCommasTrimsSpacesAndDropsEmptyItems) {
    EXPECT_EQ(split_list("a,b,,c"), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(split_list(" xdpdrv , tc-egress ,"),
              (std::vector<std::string>{"xdpdrv", "tc-egress"}));
    EXPECT_EQ(split_list(",  ,"), std::vector<std::string>{});
    EXPECT_EQ(split_list(""), std::vector<std::string>{});
    EXPECT_EQ(split_list("veth"), std::vector<std::string>{"veth"});
}

TEST(SplitList, KeepsSpacesInsideAnItem) {
    EXPECT_EQ(split_list(" a b ,c"), (std::vector<std::string>{"a b", "c"}));
}

TEST(Rules, ShippedExclusionsKeepTheCoreHooksOnVethAndHaveReasons) {
    const DeviceSpec* veth = find_device("veth");
    ASSERT_NE(veth, nullptr);
    for (auto name : {"xdp", "xdpgeneric", "xdpdrv", "tc-ingress", "tc-egress", "xt-bpf-input",
                      "xt-bpf-output"})
        EXPECT_EQ(excluded(*find_hook(name), *veth), std::nullopt) << name;
    for (const auto& rule : all_exclusions())
        EXPECT_FALSE(rule.reason.empty()) << rule.hook << " on " << rule.device;
}

TEST(Rules, XdpOffloadRunsOnlyOnNetdevsim) {
    const HookSpec& offload = *find_hook("xdpoffload");
    EXPECT_TRUE(excluded(offload, *find_device("veth")));
    EXPECT_TRUE(excluded(offload, *find_device("lo")));
    EXPECT_EQ(excluded(offload, *find_device("netdevsim")), std::nullopt);
}

TEST(Rules, BangPatternMatchesEveryNameButOne) {
    const Exclusion rules[] = {{"*", "!lo", "only on lo"}};
    EXPECT_TRUE(excluded(*find_hook("tc-ingress"), *find_device("veth"), rules));
    EXPECT_EQ(excluded(*find_hook("tc-ingress"), *find_device("lo"), rules), std::nullopt);
}

struct ExcludedCase {
    std::string_view hook, device;
    std::optional<std::string_view> reason;
};

TEST(Rules, ExcludedHonoursWildcardsAndFirstMatchWins) {
    // Fictional devices, so the rules are not limited to the catalogue's one device.
    constexpr DeviceSpec kTap{"tap", DeviceKind::Veth, "test tap"};
    constexpr DeviceSpec kSim{"netdevsim", DeviceKind::Veth, "test netdevsim"};
    constexpr std::array kRules{
        Exclusion{.hook = "xdpdrv", .device = "tap", .reason = "no native XDP on tap"},
        Exclusion{.hook = "*", .device = "netdevsim", .reason = "netdevsim only offloads"},
        Exclusion{.hook = "xt-bpf-output", .device = "*", .reason = "output rules disabled"},
        Exclusion{.hook = "*", .device = "tap", .reason = "tap is not wired up yet"},
    };
    const ExcludedCase cases[] = {
        {.hook = "xdpdrv", .device = "tap", .reason = "no native XDP on tap"},
        {.hook = "tc-ingress", .device = "tap", .reason = "tap is not wired up yet"},
        {.hook = "tc-egress", .device = "netdevsim", .reason = "netdevsim only offloads"},
        {.hook = "xt-bpf-output", .device = "veth", .reason = "output rules disabled"},
        {.hook = "xt-bpf-output", .device = "netdevsim", .reason = "netdevsim only offloads"},
        {.hook = "xdpdrv", .device = "veth", .reason = std::nullopt},
        {.hook = "tc-ingress", .device = "veth", .reason = std::nullopt},
    };
    for (const auto& c : cases) {
        const HookSpec* h = find_hook(c.hook);
        ASSERT_NE(h, nullptr) << c.hook;
        const DeviceSpec* d = c.device == "tap"         ? &kTap
                              : c.device == "netdevsim" ? &kSim
                                                        : find_device(c.device);
        ASSERT_NE(d, nullptr) << c.device;
        EXPECT_EQ(excluded(*h, *d, kRules), c.reason) << c.hook << " on " << c.device;
    }
}

TEST(Rules, PatternIsAnExactNameNotAPrefix) {
    constexpr std::array kRules{Exclusion{.hook = "tc", .device = "*", .reason = "prefix?"}};
    EXPECT_EQ(excluded(*find_hook("tc-ingress"), *find_device("veth"), kRules), std::nullopt);
}

TEST(Rules, TunSteeringRunsOnlyOnTapAndXdpdrvStaysOnTap) {
    const HookSpec& steering = *find_hook("tun-steering");
    for (const auto& d : all_devices()) {
        auto why = excluded(steering, d);
        if (d.name == "tap") {
            EXPECT_EQ(why, std::nullopt);
        } else {
            ASSERT_TRUE(why) << d.name;
            EXPECT_NE(why->find("TUNSETSTEERINGEBPF is an ioctl of tun/tap devices"),
                      std::string_view::npos)
                << *why;
        }
    }
    // tun implements ndo_bpf: native XDP is tried on tap, not excluded.
    EXPECT_EQ(excluded(*find_hook("xdpdrv"), *find_device("tap")), std::nullopt);
}

TEST(Enumerate, TapIsACatalogueDeviceWithItsOwnCells) {
    auto plan = enumerate({.hooks = {"xdpdrv", "tun-steering"}, .devices = {"tap", "veth"}});
    ASSERT_TRUE(plan) << plan.error().message();
    EXPECT_EQ(ids(*plan), (std::vector<std::string>{"xdpdrv/veth@host", "xdpdrv/tap@host",
                                                    "tun-steering/tap@host"}));
    ASSERT_EQ(plan->excluded.size(), 1u);
    EXPECT_EQ(plan->excluded[0].cell.id(), "tun-steering/veth@host");
}

} // namespace
} // namespace hm
