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

TEST(ResultsJsonThroughput, SourceReceiverAndCeiling_ReadBackAsWritten) {
    RunResult run = test::throughput_run();
    ThroughputResult xdp = test::with_ceiling(
        test::throughput_cell("xdpdrv", {4.4, 4.5, 4.6}, "6.18.0", "xdp"), {20, 21, 22});
    xdp.receiver = "GRO on dut";
    xdp.source_max_pps = 50000;
    run.throughput.push_back(xdp);
    run.throughput_ratios.push_back({.device = "veth",
                                     .kernel = "6.18.0",
                                     .source = "xdp",
                                     .hookmatrix = 2.5,
                                     .hookmatrix_low = 2.3,
                                     .hookmatrix_high = 2.7,
                                     .xdpdrv_ns = 224,
                                     .xdpgeneric_ns = 589});
    const json doc = to_json(run);
    auto back = results_from_json(doc, "results.json");
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(to_json(*back)["bench"], doc["bench"]);
    EXPECT_EQ(to_json(*back)["bench_ratios"], doc["bench_ratios"]);
    const ThroughputResult& b = back->throughput.back();
    EXPECT_EQ(b.source, "xdp");
    EXPECT_EQ(b.receiver, "GRO on dut");
    EXPECT_EQ(b.source_max_pps, 50000);
    ASSERT_EQ(b.ceiling.size(), 3u);
    EXPECT_NEAR(b.ceiling_pps(), 21e6, 1);
    // For people: the ceiling's figures and the flag.
    const json& written = doc["bench"].back();
    EXPECT_EQ(written["source"], "xdp");
    EXPECT_NEAR(written["ceiling_pps"].get<double>(), 21e6, 1);
    EXPECT_EQ(written["generator_bound"], false);
    const json& ratio = doc["bench_ratios"].back();
    EXPECT_EQ(ratio["source"], "xdp");
    EXPECT_EQ(ratio["difference"], "xdpdrv faster");
    EXPECT_DOUBLE_EQ(ratio["ns_saved"].get<double>(), 365);
}

TEST(ResultsJsonThroughput, EmulatedGuestFigures_AreMarkedAndReadBack) {
    RunResult run = test::throughput_run();
    ThroughputResult guest = test::throughput_cell("xdpdrv", {0.2, 0.21, 0.22}, "6.12.0", "xdp");
    guest.emulated = true;
    run.throughput.push_back(guest);
    run.throughput_ratios.push_back(
        {.device = "veth", .kernel = "6.12.0", .source = "xdp", .hookmatrix = 1.8, .emulated = true});
    const json doc = to_json(run);
    EXPECT_EQ(doc["bench"].back()["emulated"], true);
    EXPECT_FALSE(doc["bench"].front().contains("emulated")); // the host's are not
    EXPECT_EQ(doc["bench_ratios"].back()["emulated"], true);
    auto back = results_from_json(doc, "results.json");
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_TRUE(back->throughput.back().emulated);
    EXPECT_FALSE(back->throughput.front().emulated);
    EXPECT_TRUE(back->throughput_ratios.back().emulated);
}

TEST(ResultsJsonThroughput, AFileFromBeforeTheXdpSource_ReadsAsSkb) {
    json doc = to_json(test::throughput_run());
    for (auto& b : doc["bench"])
        b.erase("source");
    doc["bench_ratios"][0].erase("source");
    auto back = results_from_json(doc, "old.json");
    ASSERT_TRUE(back) << back.error().message();
    for (const ThroughputResult& b : back->throughput)
        EXPECT_EQ(b.source, "skb") << b.hook;
    EXPECT_EQ(back->throughput_ratios[0].source, "skb");
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
        {.name = "source",
         .spoil = [](json& d) { d["bench"][0]["source"] = "pktgen"; },
         .expected = "r.json: bench[0].source: 'pktgen' is neither xdp nor skb"},
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
