// matrix/results/results_json.h: the optional bench and bench_ratios arrays of `hookmatrix bench`
// read back as written, so `hookmatrix diff` and `report` see the same figures.
#include "matrix/results/results_json.h"

#include "throughput_fixture.h"

#include <gtest/gtest.h>

namespace hm {
namespace {

using json = nlohmann::ordered_json;

TEST(ResultsJsonThroughput, ReadBackAsWritten) {
    const RunResult run = test::throughput_run();
    const json doc = to_json(run);
    auto back = results_from_json(doc, "results.json");
    ASSERT_TRUE(back) << back.error().message();
    ASSERT_EQ(back->throughput.size(), 4u);
    // Written again, the file is the same: every bench field survived the trip.
    EXPECT_EQ(to_json(*back)["bench"], doc["bench"]);
    EXPECT_EQ(to_json(*back)["bench_ratios"], doc["bench_ratios"]);
    const ThroughputResult& drv = back->throughput[1];
    EXPECT_EQ(drv.hook, "xdpdrv");
    ASSERT_EQ(drv.windows.size(), 5u);
    EXPECT_EQ(drv.generator_cpu, 1);
    EXPECT_NEAR(drv.pps_median(), 1.20e6, 1);
    EXPECT_EQ(back->throughput[3].verdict, Verdict::Unsupported);
    ASSERT_EQ(back->throughput_ratios.size(), 1u);
    EXPECT_DOUBLE_EQ(*back->throughput_ratios[0].hookmatrix, 1.5);
    EXPECT_FALSE(back->throughput_ratios[0].xdp_bench);
    EXPECT_NE(back->throughput_ratios[0].xdp_bench_note.find("tracepoints"), std::string::npos);
}

TEST(ResultsJsonThroughput, WritesDerivedFiguresForPeople) {
    const json b = to_json(test::throughput_run())["bench"][0];
    EXPECT_NEAR(b["pps"]["median"].get<double>(), 0.80e6, 1);
    EXPECT_NEAR(b["pps"]["min"].get<double>(), 0.79e6, 1);
    // CPU 1 was busy all along: 0.5 s of it over 0.4 M packets.
    EXPECT_NEAR(b["ns_per_packet"].get<double>(), 1250, 1);
    EXPECT_DOUBLE_EQ(b["cpu_busy"].get<double>(), 1.25);
}

TEST(ResultsJsonThroughput, ARunWithoutBenchWritesNoBenchKeys) {
    RunResult run = test::throughput_run();
    run.throughput.clear();
    run.throughput_ratios.clear();
    const json doc = to_json(run);
    EXPECT_FALSE(doc.contains("bench"));
    EXPECT_FALSE(doc.contains("bench_ratios"));
    auto back = results_from_json(doc, "run.json");
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_TRUE(back->throughput.empty());
}

TEST(ResultsJsonThroughput, ABadEntryIsAnErrorNamingTheFileAndPlace) {
    struct Case {
        const char* name;
        void (*spoil)(json&);
        const char* expected;
    };
    const Case cases[] = {
        {.name = "action",
         .spoil = [](json& d) { d["bench"][1]["action"] = "redirect"; },
         .expected = "r.json: bench[1].action: 'redirect' is neither drop nor pass"},
        {.name = "counted",
         .spoil = [](json& d) { d["bench"][0]["windows"][2]["counted"] = -3; },
         .expected = "r.json: bench[0].windows[2].counted: not a whole number in range"},
        {.name = "windows",
         .spoil = [](json& d) { d["bench"][2].erase("windows"); },
         .expected = "r.json: bench[2].windows: missing"},
        {.name = "ratio",
         .spoil = [](json& d) { d["bench_ratios"][0]["hookmatrix"] = "1.5"; },
         .expected = "r.json: bench_ratios[0].hookmatrix: not a number"},
        {.name = "array",
         .spoil = [](json& d) { d["bench"] = json::object(); },
         .expected = "r.json: bench: not an array"},
    };
    for (const Case& c : cases) {
        json doc = to_json(test::throughput_run());
        c.spoil(doc);
        auto back = results_from_json(doc, "r.json");
        ASSERT_FALSE(back) << c.name;
        EXPECT_EQ(back.error().message(), c.expected) << c.name;
    }
}

} // namespace
} // namespace hm
