// The ci/ scripts the workflow calls (ci/workflows/hookmatrix.yml runs matrix-shard.sh once per
// kernel, as shard 1 of 1): two shards of a small matrix on veth, their merge into one results.json
// with its reports, and the nightly diff, once without a history (which is said, and is no failure,
// and starts the history) and against two histories of one night (an improvement, then a regression
// that fails the step).
#include "core/spawn.h"
#include "matrix/results/results_json.h"
#include "support.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <tuple>

namespace hm::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

const fs::path kCi = fs::path(HOOKMATRIX_TEST_DATA) / ".." / ".." / "ci";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class CiScripts : public LeavesHostUnchangedWithTempDir {
protected:
    // `bash ci/NAME ARGS...` with the workflow's environment: the binary under test as
    // $HOOKMATRIX and a GitHub job summary file. `env` sets them; no shell line is built.
    SpawnResult script(const std::string& name, const std::vector<std::string>& args,
                       const std::string& baseline = "") {
        std::vector<std::string> argv{"env", std::string("HOOKMATRIX=") + HOOKMATRIX_BINARY,
                                      "GITHUB_STEP_SUMMARY=" + summary().string(),
                                      "HOOKMATRIX_BASELINE=" + baseline, "bash",
                                      (kCi / name).string()};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = spawn(argv, std::chrono::minutes(3));
        EXPECT_TRUE(r) << r.error().message();
        return r ? *r : SpawnResult{};
    }
    fs::path summary() const { return dir_ / "summary.md"; }

    // A copy of `results` as a previous night's artifact in dir/NAME, each cell changed by `edit`.
    fs::path previous_night(const std::string& name, const fs::path& results,
                            const std::function<void(json&)>& edit) {
        std::ifstream in(results);
        json doc = json::parse(in);
        for (auto& cell : doc["cells"])
            edit(cell);
        // A night before tonight: a history holds only nights that started before the one judged.
        doc["run"]["started"] = "2026-01-01T03:17:00Z";
        fs::create_directories(dir_ / name);
        std::ofstream(dir_ / name / "results.json") << doc.dump(2) << "\n";
        return dir_ / name;
    }
};

using Cells = std::set<std::tuple<std::string, std::string>>;

Cells cells_of(const RunResult& r) {
    Cells out;
    for (const auto& c : r.cells)
        out.emplace(c.hook, c.device);
    return out;
}

TEST_F(CiScripts, ShardsMergeAndNightlyDiff_AsTheWorkflowRunsThem) {
    HM_REQUIRE_PREREQUISITES();
    const std::vector<std::string> matrix{"--hooks", "tc-ingress,tc-egress,xdpgeneric",
                                          "--devices", "veth", "--packets", "60"};
    const fs::path shards = dir_ / "shards";
    for (const char* i : {"1", "2"}) {
        std::vector<std::string> args{i, "2", (shards / ("shard-" + std::string(i))).string()};
        args.insert(args.end(), matrix.begin(), matrix.end());
        // The first night the previous night's results do not exist: no baseline, no error.
        auto r = script("matrix-shard.sh", args, (dir_ / "previous" / "results.json").string());
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    }
    auto s1 = read_results_file((shards / "shard-1" / "results.json").string());
    auto s2 = read_results_file((shards / "shard-2" / "results.json").string());
    ASSERT_TRUE(s1 && s2);
    EXPECT_EQ(s1->run.shard, "1/2");
    EXPECT_EQ(s2->run.shard, "2/2");

    const fs::path merged = dir_ / "merged";
    auto m = script("merge-shards.sh", {"2", shards.string(), merged.string()});
    ASSERT_EQ(m.exit_code, 0) << m.out << m.err;
    auto all = read_results_file((merged / "results.json").string());
    ASSERT_TRUE(all) << all.error().message();
    const Cells want{{"xdpgeneric", "veth"}, {"tc-ingress", "veth"}, {"tc-egress", "veth"}};
    EXPECT_EQ(cells_of(*all), want);
    for (const char* report : {"report.html", "junit.xml", "compat.md"})
        EXPECT_TRUE(fs::exists(merged / report)) << report;

    // The first night: no previous artifact.
    auto first = script("nightly-diff.sh", {(dir_ / "previous").string(), merged.string()});
    EXPECT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_NE(first.out.find("no baseline"), std::string::npos) << first.out;
    EXPECT_NE(slurp(summary()).find("no baseline"), std::string::npos);
    EXPECT_FALSE(fs::exists(merged / "changes.md"));
    EXPECT_EQ(slurp(merged / "report.html").find("id=\"baseline\""), std::string::npos);
    // Tonight started the history.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "previous"), fs::directory_iterator()), 1);

    // Last night tc-ingress failed: tonight it is fixed, an improvement, the step passes.
    const fs::path fixed = previous_night("fixed", merged / "results.json", [](json& cell) {
        if (cell["hook"] == "tc-ingress") {
            cell["verdict"] = "fail";
            cell["reason"] = "fired for 50 of 60 packets";
        }
    });
    auto better = script("nightly-diff.sh", {fixed.string(), merged.string()});
    EXPECT_EQ(better.exit_code, 0) << better.out << better.err;
    EXPECT_NE(better.out.find("0 regressions, 1 improvements, 2 unchanged"), std::string::npos)
        << better.out;
    const std::string changes = slurp(merged / "changes.md");
    EXPECT_NE(changes.find("| tc-ingress | veth |"), std::string::npos) << changes;
    EXPECT_EQ(changes.find("| tc-egress |"), std::string::npos) << "only the changed cell";
    EXPECT_NE(slurp(summary()).find("# hookmatrix: changes since the baseline"),
              std::string::npos);
    EXPECT_NE(slurp(merged / "report.html").find("data-changes=\"1\" data-regressions=\"0\""),
              std::string::npos);

    // Last night every packet was fifty times as fast: tonight is a regression, the step fails.
    // Fifty, not two or four: the measurement again below must reproduce it, a whole run on a
    // busy machine can move by 45%, and one slow burst in a quarter of 15 packets took a fourfold
    // change under the bar (as in the report test).
    const fs::path faster = previous_night("faster", merged / "results.json", [](json& cell) {
        auto& l = cell["latency_ns"];
        if (!l.is_object())
            return;
        for (const char* k : {"min", "p50", "p90", "p99", "max"})
            l[k] = l[k].get<std::uint64_t>() / 50;
        l["mean"] = l["mean"].get<double>() / 50;
        for (auto& v : l["values"])
            v = v.get<std::uint64_t>() / 50;
    });
    auto worse = script("nightly-diff.sh", {faster.string(), merged.string()});
    EXPECT_EQ(worse.exit_code, 1) << worse.out << worse.err;
    EXPECT_NE(worse.out.find("3 regressions"), std::string::npos) << worse.out;
    EXPECT_NE(slurp(merged / "report.html").find("data-regressions=\"3\""), std::string::npos);

    // A shard run against that night measures each regressed cell again, and they reproduce.
    std::vector<std::string> args{"1", "1", (dir_ / "again").string()};
    args.insert(args.end(), matrix.begin(), matrix.end());
    auto again = script("matrix-shard.sh", args, (faster / "results.json").string());
    EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
    EXPECT_NE(again.out.find("measured again: tc-egress veth: latency +"), std::string::npos)
        << again.out;
}

TEST_F(CiScripts, MergeShardsRefusesAMissingShard) {
    // Needs no kernel: the shard count is checked before hookmatrix runs.
    fs::create_directories(dir_ / "shards" / "shard-1");
    std::ofstream(dir_ / "shards" / "shard-1" / "results.json") << "{}";
    auto r = script("merge-shards.sh", {"2", (dir_ / "shards").string(), (dir_ / "m").string()});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("expected 2 shard results"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "m" / "results.json"));
}

TEST_F(CiScripts, NightlyDiffWithABadBaselineExitsTwo) {
    fs::create_directories(dir_ / "previous");
    std::ofstream(dir_ / "previous" / "results.json") << "{\"schema\": \"hookmatrix/99\"}";
    // Tonight is a good night of one passing cell; only the history is bad.
    RunResult tonight;
    tonight.run.started = std::chrono::system_clock::now();
    tonight.cells.push_back(
        {.hook = "tc-ingress", .device = "veth", .verdict = Verdict::Pass, .reason = "fired"});
    fs::create_directories(dir_ / "tonight");
    std::ofstream(dir_ / "tonight" / "results.json") << to_json(tonight).dump(2);
    auto r = script("nightly-diff.sh",
                    {(dir_ / "previous").string(), (dir_ / "tonight").string()});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("previous/results.json"), std::string::npos) << r.err;
}

} // namespace
} // namespace hm::test
