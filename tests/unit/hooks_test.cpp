// matrix/hooks.h: the hook catalogue is data, and these are the facts the runner relies on.
#include "matrix/hooks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <linux/if_link.h>

#include <set>
#include <string_view>
#include <vector>

namespace hm {
namespace {

TEST(Hooks, CatalogueListsTheHooksInPacketPathFamiliesStartingWithXdp) {
    std::vector<std::string_view> names;
    for (const auto& h : all_hooks())
        names.push_back(h.name);
    // Rows may be added; these must be there, in this relative order.
    const std::vector<std::string_view> expected{
        "xdp",         "xdpgeneric",    "xdpdrv",      "xdpoffload",         "tc-ingress",
        "tc-egress",   "xt-bpf-input",  "xt-bpf-output", "tcx-ingress",      "tcx-egress",
        "netfilter-local-in", "netfilter-local-out", "socket-filter", "cgroup-skb-ingress",
        "cgroup-skb-egress"};
    auto it = names.begin();
    for (auto want : expected) {
        it = std::find(it, names.end(), want);
        ASSERT_NE(it, names.end()) << want << " missing or out of order";
    }
    EXPECT_EQ(names.front(), "xdp");
}

TEST(Hooks, NamesAreUnique) {
    std::set<std::string_view> seen;
    for (const auto& h : all_hooks())
        EXPECT_TRUE(seen.insert(h.name).second) << "duplicate hook name " << h.name;
    EXPECT_EQ(seen.size(), all_hooks().size());
}

TEST(Hooks, FindHookReturnsTheCatalogueRowForEachName) {
    for (const auto& h : all_hooks()) {
        const HookSpec* found = find_hook(h.name);
        ASSERT_NE(found, nullptr) << h.name;
        EXPECT_EQ(found, &h) << h.name;
    }
}

TEST(Hooks, FindHookReturnsNullForUnknownName) {
    EXPECT_EQ(find_hook("no-such-hook"), nullptr);
    EXPECT_EQ(find_hook(""), nullptr);
    EXPECT_EQ(find_hook("TC-INGRESS"), nullptr); // names are case-sensitive
}

TEST(Hooks, OnlyXdpFamilyHooksHaveXdpFlagsAndOnlyPlainXdpLetsTheKernelChoose) {
    for (const auto& h : all_hooks()) {
        if (h.family == HookFamily::Xdp && h.name != "xdp")
            EXPECT_NE(h.xdp_flags, 0u) << h.name;
        else
            EXPECT_EQ(h.xdp_flags, 0u) << h.name;
    }
    EXPECT_EQ(find_hook("xdpoffload")->xdp_flags, static_cast<std::uint32_t>(XDP_FLAGS_HW_MODE));
}

TEST(Hooks, XdpGenericAndXdpDrvUseDifferentModes) {
    ASSERT_NE(find_hook("xdpgeneric"), nullptr);
    ASSERT_NE(find_hook("xdpdrv"), nullptr);
    EXPECT_EQ(find_hook("xdpgeneric")->xdp_flags, static_cast<std::uint32_t>(XDP_FLAGS_SKB_MODE));
    EXPECT_EQ(find_hook("xdpdrv")->xdp_flags, static_cast<std::uint32_t>(XDP_FLAGS_DRV_MODE));
}

struct DirectionCase {
    std::string_view hook;
    Direction direction;
};

TEST(Hooks, EachHookFiresInItsDocumentedDirection) {
    constexpr DirectionCase kCases[] = {
        {.hook = "xdpgeneric", .direction = Direction::Ingress},
        {.hook = "xdpdrv", .direction = Direction::Ingress},
        {.hook = "tc-ingress", .direction = Direction::Ingress},
        {.hook = "tc-egress", .direction = Direction::Egress},
        {.hook = "xt-bpf-input", .direction = Direction::Ingress},
        {.hook = "xt-bpf-output", .direction = Direction::Egress},
        {.hook = "tcx-ingress", .direction = Direction::Ingress},
        {.hook = "tcx-egress", .direction = Direction::Egress},
        {.hook = "netfilter-local-in", .direction = Direction::Ingress},
        {.hook = "netfilter-local-out", .direction = Direction::Egress},
        {.hook = "tun-steering", .direction = Direction::Egress},
        {.hook = "socket-filter", .direction = Direction::Ingress},
        {.hook = "cgroup-skb-ingress", .direction = Direction::Ingress},
        {.hook = "cgroup-skb-egress", .direction = Direction::Egress},
    };
    for (const auto& c : kCases) {
        const HookSpec* h = find_hook(c.hook);
        ASSERT_NE(h, nullptr) << c.hook;
        EXPECT_EQ(h->direction, c.direction) << c.hook;
    }
}

TEST(Hooks, DirectionAndFamilyHaveStableNames) {
    EXPECT_EQ(to_string(Direction::Ingress), "ingress");
    EXPECT_EQ(to_string(Direction::Egress), "egress");
    EXPECT_EQ(to_string(HookFamily::Xdp), "xdp");
    EXPECT_EQ(to_string(HookFamily::Tc), "tc");
    EXPECT_EQ(to_string(HookFamily::XtBpf), "xt_bpf");
    EXPECT_EQ(to_string(HookFamily::Tcx), "tcx");
    EXPECT_EQ(to_string(HookFamily::Netfilter), "netfilter");
    EXPECT_EQ(to_string(HookFamily::TunSteering), "tun_steering");
    EXPECT_EQ(to_string(HookFamily::SocketFilter), "socket_filter");
    EXPECT_EQ(to_string(HookFamily::CgroupSkb), "cgroup_skb");
}

TEST(Hooks, NewFamiliesUseTheirProgramTypesAndPassActions) {
    // tcx hands the packet on (TCX_NEXT, -1); netfilter programs say NF_ACCEPT (1).
    for (std::string_view name : {"tcx-ingress", "tcx-egress"}) {
        const HookSpec* h = find_hook(name);
        ASSERT_NE(h, nullptr) << name;
        EXPECT_EQ(h->family, HookFamily::Tcx) << name;
        EXPECT_EQ(h->prog_type, std::uint32_t{BPF_PROG_TYPE_SCHED_CLS}) << name;
        EXPECT_EQ(h->probe, ProbeKind::Skb) << name;
        EXPECT_EQ(static_cast<std::int32_t>(h->pass_action), -1) << name;
    }
    for (std::string_view name : {"netfilter-local-in", "netfilter-local-out"}) {
        const HookSpec* h = find_hook(name);
        ASSERT_NE(h, nullptr) << name;
        EXPECT_EQ(h->family, HookFamily::Netfilter) << name;
        EXPECT_EQ(h->prog_type, 32u) << name; // BPF_PROG_TYPE_NETFILTER
        EXPECT_EQ(h->probe, ProbeKind::Netfilter) << name;
        EXPECT_EQ(h->pass_action, 1u) << name;
    }
}


TEST(Hooks, SocketHooksKeepThePacketAndCgroupHooksAllowIt) {
    // A socket filter returns the bytes to keep: all of them (0 would drop the packet). A
    // cgroup_skb program returns 1 to allow.
    const HookSpec* filter = find_hook("socket-filter");
    ASSERT_NE(filter, nullptr);
    EXPECT_EQ(filter->family, HookFamily::SocketFilter);
    EXPECT_EQ(filter->prog_type, std::uint32_t{BPF_PROG_TYPE_SOCKET_FILTER});
    EXPECT_EQ(filter->probe, ProbeKind::Skb);
    EXPECT_EQ(filter->pass_action, 0xFFFFFFFFu);
    for (std::string_view name : {"cgroup-skb-ingress", "cgroup-skb-egress"}) {
        const HookSpec* h = find_hook(name);
        ASSERT_NE(h, nullptr) << name;
        EXPECT_EQ(h->family, HookFamily::CgroupSkb) << name;
        EXPECT_EQ(h->prog_type, std::uint32_t{BPF_PROG_TYPE_CGROUP_SKB}) << name;
        EXPECT_EQ(h->probe, ProbeKind::Skb) << name;
        EXPECT_EQ(h->pass_action, 1u) << name;
    }
}

TEST(Hooks, TunSteeringIsASocketFilterThatPicksQueueZero) {
    // tun runs it from ndo_select_queue on transmit; its return value is the queue index.
    const HookSpec* h = find_hook("tun-steering");
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(h->family, HookFamily::TunSteering);
    EXPECT_EQ(h->prog_type, std::uint32_t{BPF_PROG_TYPE_SOCKET_FILTER});
    EXPECT_EQ(h->probe, ProbeKind::Skb);
    EXPECT_EQ(h->direction, Direction::Egress);
    EXPECT_EQ(h->pass_action, 0u);
    EXPECT_EQ(h->xdp_flags, 0u);
}

} // namespace
} // namespace hm
