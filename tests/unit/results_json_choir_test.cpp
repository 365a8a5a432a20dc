// matrix/results/results_json.h: choirs read back from results.json, so `hookmatrix report` and
// merge see what `hookmatrix run` wrote.
#include "matrix/results/results_json.h"

#include "report_fixture.h"

#include <gtest/gtest.h>

namespace hm {
namespace {

using json = nlohmann::ordered_json;

TEST(ResultsJsonChoirs, ReadBackAsWritten) {
    const RunResult run = test::report_run();
    auto back = results_from_json(to_json(run), "results.json");
    ASSERT_TRUE(back) << back.error().message();
    ASSERT_EQ(back->choirs.size(), 2u);
    // Written again, the file is the same: every choir field survived the trip.
    EXPECT_EQ(to_json(*back)["choirs"], to_json(run)["choirs"]);
    const ChoirResult& c = back->choirs[0];
    EXPECT_EQ(c.order, (std::vector<std::string>{"xdpgeneric", "tc-ingress"}));
    ASSERT_EQ(c.voices.size(), 2u);
    EXPECT_EQ(c.voices[1].verdict, Verdict::Fail);
    EXPECT_EQ(c.voices[0].latency.p50, 2'000u);
    EXPECT_TRUE(back->choirs[1].unsupported);
}

TEST(ResultsJsonChoirs, AFileWithoutChoirsHasNone) {
    json doc = to_json(test::report_run());
    doc.erase("choirs");
    auto back = results_from_json(doc, "old.json");
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_TRUE(back->choirs.empty());
}

TEST(ResultsJsonChoirs, ABadChoirIsAnErrorNamingTheFileAndPlace) {
    json doc = to_json(test::report_run());
    doc["choirs"][0]["hooks"][1]["verdict"] = "maybe";
    auto back = results_from_json(doc, "r.json");
    ASSERT_FALSE(back);
    EXPECT_EQ(back.error().message(),
              "r.json: choirs[0].hooks[1].verdict: 'maybe' is not a verdict");
}

} // namespace
} // namespace hm
