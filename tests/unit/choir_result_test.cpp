// matrix/results/result.h ChoirResult::ok() and its results.json form.
#include "matrix/results/result.h"
#include "matrix/results/results_json.h"

#include <gtest/gtest.h>

namespace hm {
namespace {

ChoirResult singing(Verdict second) {
    ChoirResult c{.device = "veth", .kernel = "6.18", .packets = 3};
    c.order = {"tc-egress", "tc-ingress"};
    c.same_order = 2;
    c.deviations = {{.seq = 1, .order = {"tc-ingress", "tc-egress"}}};
    c.voices = {{.hook = "tc-egress", .verdict = Verdict::Pass, .reason = "ok"},
                {.hook = "tc-ingress", .verdict = second, .reason = "why"}};
    return c;
}

TEST(ChoirResult, OkUnlessAVoiceFailsOrErrsOrTheChoirCouldNotRun) {
    EXPECT_TRUE(singing(Verdict::Pass).ok());
    EXPECT_TRUE(singing(Verdict::Unsupported).ok());
    EXPECT_FALSE(singing(Verdict::Fail).ok());
    EXPECT_FALSE(singing(Verdict::Error).ok());
    ChoirResult broken{.device = "veth", .reason = "no reply to warm-up"};
    EXPECT_FALSE(broken.ok());
    ChoirResult absent{
        .device = "netdevsim", .reason = "kernel has no netdevsim", .unsupported = true};
    EXPECT_TRUE(absent.ok());
}

TEST(ChoirResult, JsonCarriesOrderDeviationsAndVoices) {
    auto j = to_json(singing(Verdict::Fail));
    EXPECT_EQ(j["device"], "veth");
    EXPECT_EQ(j["order"], nlohmann::json({"tc-egress", "tc-ingress"}));
    EXPECT_EQ(j["same_order"], 2);
    EXPECT_EQ(j["deviations"][0]["seq"], 1);
    EXPECT_EQ(j["deviations"][0]["order"][0], "tc-ingress");
    EXPECT_EQ(j["hooks"][1]["verdict"], "fail");
    EXPECT_FALSE(j.contains("unsupported"));
    ChoirResult absent{.device = "netdevsim", .reason = "no netdevsim", .unsupported = true};
    EXPECT_EQ(to_json(absent)["unsupported"], true);
}

} // namespace
} // namespace hm
