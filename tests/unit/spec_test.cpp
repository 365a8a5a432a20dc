// matrix/spec.h: spec files as users write them, CI-style include/exclude, and the errors.
#include "matrix/spec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hm {
namespace {

std::vector<std::string> ids(const Plan& plan) {
    std::vector<std::string> out;
    for (const auto& c : plan.cells)
        out.push_back(c.id() + ":" + std::to_string(c.settings.packets.value_or(0)));
    return out;
}

TEST(Spec, DefaultSpecIsEveryMeaningfulCellWithAHundredPackets) {
    auto plan = plan_from_spec(default_spec());
    auto all = enumerate({});
    ASSERT_TRUE(plan && all);
    ASSERT_EQ(plan->cells.size(), all->cells.size());
    for (const auto& c : plan->cells) {
        EXPECT_EQ(c.settings.packets, 100u) << c.id();
        EXPECT_EQ(c.settings.reply_timeout_ms, 1000u) << c.id();
    }
}

TEST(Spec, ExcludeRemovesAndIncludeAddsOrSetsValuesLikeCiMatrices) {
    auto spec = parse_spec(R"(
hooks: [xdpgeneric, tc-egress]
devices: [veth, lo]
packets: 10
exclude:
  - {hook: tc-egress, device: lo}
include:
  - {hook: xdpgeneric, packets: 30}
  - {hook: xdpdrv, device: veth, packets: 5}
)",
                           "t.yaml");
    ASSERT_TRUE(spec) << spec.error().message();
    auto plan = plan_from_spec(*spec);
    ASSERT_TRUE(plan) << plan.error().message();
    EXPECT_EQ(ids(*plan),
              (std::vector<std::string>{"xdpgeneric/veth@host:30", "xdpgeneric/lo@host:30",
                                        "tc-egress/veth@host:10", "xdpdrv/veth@host:5"}));
    ASSERT_EQ(plan->excluded.size(), 1u);
    EXPECT_EQ(plan->excluded[0].cell.id(), "tc-egress/lo@host");
    EXPECT_EQ(plan->excluded[0].reason, "excluded by t.yaml");
}

TEST(Spec, JsonIsAcceptedToo) {
    auto spec =
        parse_spec(R"({"hooks": ["tc-ingress"], "devices": "veth", "packets": 7})", "t.json");
    ASSERT_TRUE(spec) << spec.error().message();
    auto plan = plan_from_spec(*spec);
    ASSERT_TRUE(plan);
    EXPECT_EQ(ids(*plan), (std::vector<std::string>{"tc-ingress/veth@host:7"}));
}

TEST(Spec, CommandLineNarrowsTheSpecButCannotWidenIt) {
    auto spec = parse_spec("hooks: [xdpgeneric, tc-egress]\ndevices: [veth]\n", "t.yaml");
    ASSERT_TRUE(spec);
    auto narrowed = plan_from_spec(*spec, {.hooks = {"tc-egress"}});
    ASSERT_TRUE(narrowed);
    // A spec that sets no packets leaves each cell the default (matrix/cell.h).
    EXPECT_EQ(ids(*narrowed), (std::vector<std::string>{"tc-egress/veth@host:100"}));
    auto widened = plan_from_spec(*spec, {.hooks = {"tcx-egress"}});
    ASSERT_FALSE(widened);
    EXPECT_EQ(widened.error().what, "hook 'tcx-egress' is not in t.yaml");
}

struct BadSpec {
    const char* text;
    const char* problem;
};

TEST(Spec, MistakesAreErrorsNamingTheFileAndTheKey) {
    const BadSpec cases[] = {
        {.text = "hooks: all\npaket: 3\n", .problem = "t.yaml: paket: unknown key"},
        {.text = "hooks: [tc-ingres]\n", .problem = "t.yaml: axes: unknown hook 'tc-ingres'"},
        {.text = "packets: -4\n", .problem = "t.yaml: packets: must be a whole number"},
        {.text = "packets: many\n", .problem = "t.yaml: packets: not a whole number"},
        {.text = "exclude: {hook: xdp}\n", .problem = "t.yaml: exclude: expected a list"},
        {.text = "include:\n  - {hook: xdp, colour: red}\n",
         .problem = "t.yaml: include[0].colour: unknown key"},
        {.text = "exclude:\n  - {hook: xdp, packets: 3}\n",
         .problem = "t.yaml: exclude[0].packets: unknown key"},
        {.text = "exclude:\n  - {device: tapp}\n",
         .problem = "t.yaml: exclude[0].device: unknown device 'tapp'"},
        {.text = "- a list\n", .problem = "t.yaml: top level: expected a mapping"},
        {.text = "hooks: [a\n", .problem = "t.yaml: line"},
    };
    for (const auto& c : cases) {
        auto spec = parse_spec(c.text, "t.yaml");
        ASSERT_FALSE(spec) << c.text;
        EXPECT_NE(spec.error().what.find(c.problem), std::string::npos)
            << c.text << " -> " << spec.error().what;
    }
}

} // namespace
} // namespace hm
