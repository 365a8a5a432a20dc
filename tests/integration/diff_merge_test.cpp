// hookmatrix diff and merge end to end, and run --shard: two runs of one matrix are compared cell
// by cell, a failed hook or a much slower cell is a regression, two shards merged are the whole
// run, and bad input is a one-line error with exit code 2.
#include "core/spawn.h"
#include "matrix/results/results_json.h"
#include "support.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>

namespace hm::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

using DiffMerge = LeavesHostUnchangedWithTempDir;

// `run` of HOOKS on veth, 200 packets each, into dir/NAME; returns results.json.
std::string run_hooks(const fs::path& dir, const std::string& name, const std::string& hooks,
                      std::vector<std::string> extra = {}) {
    std::vector<std::string> args{
        "run",       "--hooks", hooks, "--devices", "veth", "-o", (dir / name).string(),
        "--packets", "200"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = hookmatrix(args);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return (dir / name / "results.json").string();
}

// The issue's pair of cells.
std::string run_pair(const fs::path& dir, const std::string& name,
                     std::vector<std::string> extra = {}) {
    return run_hooks(dir, name, "tc-ingress,tc-egress", std::move(extra));
}

json load(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in);
}

std::string save(const fs::path& path, const json& doc) {
    std::ofstream(path) << doc.dump(2) << "\n";
    return path.string();
}

bool one_line(const std::string& err) {
    return !err.empty() && err.back() == '\n' && err.find('\n') == err.size() - 1;
}

// The default matrix on this kernel into dir/NAME, results.json only; returns its path.
std::string run_default_matrix(const fs::path& dir, const std::string& name,
                               const std::string& baseline = "") {
    std::vector<std::string> args{"run",        "--rounds",      "2",  "--no-html",
                                  "--no-junit", "--no-markdown", "-o", (dir / name).string()};
    if (!baseline.empty())
        args.insert(args.end(), {"--baseline", baseline});
    auto r = hookmatrix(args);
    // With a baseline, exit 1 is a regression that held when measured again: on a busy machine
    // two runs of one kernel now and then give one (a sanitizer run here saw tc-ingress on lo
    // +13%, then +33% and +36%); how often is measured, not asserted (below).
    if (baseline.empty())
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    else
        EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out << r.err;
    return (dir / name / "results.json").string();
}

// The nightly way, end to end: tonight's run made with last night's as its baseline, then
// diffed. What is checked is the plumbing, which holds however busy the machine is: every cell of
// the default matrix is matched and judged, against its neighbours, and the exit code says
// whether a regression was called. How often two runs of an unchanged kernel are called a
// regression on a noisy machine (the false-alarm rate) is a property of the noise, measured over
// many nights by ci/operating-characteristics.py and kept in docs/benchmarks.md, not asserted
// here.
TEST_F(DiffMerge, TwoRunsOfTheSameMatrix_AreComparedCellByCellAgainstTheirNeighbours) {
    const std::string a = run_default_matrix(dir_, "a");
    const std::string b = run_default_matrix(dir_, "b", a);
    const json tonight = load(b);
    auto r = hookmatrix({"diff", "-j", a, b});
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out << r.err;
    const json diff = json::parse(r.out);
    EXPECT_EQ(diff["schema"], "hookmatrix-diff/2");
    const json& s = diff["summary"];
    EXPECT_EQ(s["added"], 0);
    EXPECT_EQ(s["removed"], 0);
    EXPECT_EQ(s["changed"], 0) << "a verdict changed between two runs of one kernel: " << r.out;
    EXPECT_EQ(s["regressions"].get<int>() + s["improvements"].get<int>() +
                  s["unchanged"].get<int>(),
              static_cast<int>(tonight["cells"].size()));
    EXPECT_EQ(diff["regression"].get<bool>(), r.exit_code == 1);
    EXPECT_EQ(diff["regression"].get<bool>(), s["regressions"].get<int>() > 0);
    // Judged against the run: the default matrix has cells enough to say what it did.
    EXPECT_EQ(diff["options"]["normalize"], "run") << diff["options"].dump();
    ASSERT_TRUE(diff["run_shift"].is_object()) << r.out;
    EXPECT_TRUE(diff["run_shift"]["discounted"].get<bool>()) << r.out;
}

// Tests of what a made-on-purpose change does, with runs of only two cells: no neighbours to judge
// against, and whole runs on this VM move by up to 45% (one cell once by +74%). The programs made
// slower change by +365% and more; so the bar sits between, and the untouched cell beside it is
// kept from mattering (below).
const std::string kAboveWholeRunMoods = "60%";

// The untouched tc-ingress cell of a baseline made ten times slower: tonight's cannot regress
// against it however busy the machine (a sanitizer CI run with a compile beside saw it +74% in
// every quarter between two runs, over the bar above). What is asserted of it is that a cell that
// did not regress keeps its first measurement; its own change is noise, not asserted.
std::string with_neighbour_ten_times_slower(const fs::path& dir, const std::string& base) {
    json doc = load(base);
    for (json& c : doc["cells"])
        if (c["hook"] == "tc-ingress")
            for (json& v : c["latency_ns"]["values"])
                v = v.get<std::uint64_t>() * 10;
    return save(dir / "baseline-neighbour-slower.json", doc);
}

// A regression that reproduces is one: the slower Hello-World, measured twice more, is slower
// every time; the cell says so and keeps the median of its three measurements. (The other path, a
// burst that does not reproduce, cannot be made on purpose; TwoRunsOfTheSameMatrix meets it now
// and then.)
TEST_F(DiffMerge, RunWithABaselineMeasuresARegressedCellAgain) {
    const std::string objects = HOOKMATRIX_TEST_OBJECTS;
    const std::string base = with_neighbour_ten_times_slower(
        dir_,
        run_pair(dir_, "hello", {"--object", "tc-egress=" + objects + "/hello.o", "--trace"}));
    std::vector<std::string> args{"run", "--hooks", "tc-ingress,tc-egress", "--devices", "veth",
                                  "--packets", "200", "--object",
                                  "tc-egress=" + objects + "/hello_slow.o", "--trace", "-o",
                                  (dir_ / "slow").string(), "--baseline", base,
                                  // Two cells are too few to judge against the neighbours, and a
                                  // whole run moves by up to 45% here: the bar sits between that
                                  // and the slow program's +365%.
                                  "--threshold", kAboveWholeRunMoods};
    auto r = hookmatrix(args);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("measured again: tc-egress veth: latency +"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(": reproduced"), std::string::npos) << r.out;
    json slow = load((dir_ / "slow" / "results.json").string());
    for (const auto& c : slow["cells"])
        if (c["hook"] == "tc-egress") {
            EXPECT_EQ(c["remeasured"], 2) << c.dump();
            EXPECT_NE(c["reason"].get<std::string>().find("reproduced"), std::string::npos);
        } else {
            EXPECT_FALSE(c.contains("remeasured")) << c.dump();
        }
}

// With --rounds, a cell is measured again as precisely as it was measured first: the run's
// rounds each time (one round, kept when it did not regress, threw a 40-round night's precision
// away: docs/benchmarks.md).
TEST_F(DiffMerge, AMeasurementAgainHasTheRunsRounds) {
    const std::string objects = HOOKMATRIX_TEST_OBJECTS;
    const std::string base = with_neighbour_ten_times_slower(
        dir_,
        run_pair(dir_, "hello", {"--object", "tc-egress=" + objects + "/hello.o", "--trace"}));
    auto r = hookmatrix({"run", "--hooks", "tc-ingress,tc-egress", "--devices", "veth",
                         "--packets", "50", "--rounds", "3", "--object",
                         "tc-egress=" + objects + "/hello_slow.o", "--trace", "-o",
                         (dir_ / "slow").string(), "--baseline", base, "--threshold",
                         kAboveWholeRunMoods});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("measured again in 3 rounds"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("measured again,"), std::string::npos) << r.out;
    json slow = load((dir_ / "slow" / "results.json").string());
    for (const auto& c : slow["cells"]) {
        if (c["hook"] == "tc-egress") {
            EXPECT_EQ(c["latency_ns"]["values"].size(), 150u) << "3 rounds of 50 packets";
        }
    }
}

TEST_F(DiffMerge, AFailedHookIsARegression) {
    const std::string base = run_pair(dir_, "base");
    json doc = load(base);
    doc["cells"][0]["verdict"] = "fail";
    doc["cells"][0]["reason"] = "fired for 150 of 200 packets";
    const std::string now = save(dir_ / "failed.json", doc);
    auto r = hookmatrix({"diff", base, now});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("pass -> fail"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 regressions"), std::string::npos) << r.out;

    auto j = hookmatrix({"diff", base, now, "-j"});
    EXPECT_EQ(j.exit_code, 1);
    json diff = json::parse(j.out);
    EXPECT_EQ(diff["schema"], "hookmatrix-diff/2");
    EXPECT_EQ(diff["cells"][0]["verdict_change"], "regression");

    auto md = hookmatrix({"diff", base, now, "--markdown"});
    EXPECT_EQ(md.exit_code, 1);
    EXPECT_NE(md.out.find("| hook | device |"), std::string::npos) << md.out;
}

// The walk-through's Hello-World on tc-egress, traced, against the same program built to do tens
// of microseconds of work before its line (tests/integration/data/hello.c, HELLO_SLOW). That cell
// alone, so that both exit codes are its own: an untouched neighbour, compared absolutely, now and
// then moves past the bar on a busy machine (+74% once), and would make either side a regression.
TEST_F(DiffMerge, AProgramMadeSlowerOnPurposeIsARegression) {
    const std::string objects = HOOKMATRIX_TEST_OBJECTS;
    auto traced = [&](const std::string& name, const std::string& object) {
        return run_hooks(dir_, name, "tc-egress",
                         {"--object", "tc-egress=" + objects + "/" + object, "--trace"});
    };
    const std::string base = traced("hello", "hello.o");
    const std::string now = traced("slow", "hello_slow.o");
    auto r = hookmatrix({"diff", base, now, "--threshold", kAboveWholeRunMoods});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("tc-egress"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("regression (slower)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 regressions"), std::string::npos) << r.out;
    // The other direction is an improvement, not a regression. The bar turned round: -37.5% is
    // the same 1.6 times as +60% (at -60% the slow program's margin over the noise was halved).
    auto back = hookmatrix({"diff", now, base, "--threshold", "37.5%"});
    EXPECT_EQ(back.exit_code, 0) << back.out << back.err;
    EXPECT_NE(back.out.find("1 improvements"), std::string::npos) << back.out;
}

TEST_F(DiffMerge, TwoShardsMergedEqualTheUnshardedRun) {
    const std::vector<std::string> matrix{
        "--hooks", "xdpgeneric,tc-ingress,tc-egress", "--devices", "veth,lo", "--packets", "20"};
    auto run = [&](const std::string& name, std::vector<std::string> extra) {
        std::vector<std::string> args{"run"};
        args.insert(args.end(), matrix.begin(), matrix.end());
        args.insert(args.end(), extra.begin(), extra.end());
        args.insert(args.end(), {"-o", (dir_ / name).string()});
        auto r = hookmatrix(args);
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
        return (dir_ / name / "results.json").string();
    };
    const std::string whole = run("whole", {});
    const std::string s1 = run("s1", {"--shard", "1/2"});
    const std::string s2 = run("s2", {"--shard", "2/2"});
    auto m = hookmatrix({"merge", s1, s2, "-o", (dir_ / "merged").string()});
    ASSERT_EQ(m.exit_code, 0) << m.out << m.err;

    auto w = read_results_file(whole), a = read_results_file(s1), b = read_results_file(s2),
         merged = read_results_file((dir_ / "merged" / "results.json").string());
    ASSERT_TRUE(w && a && b && merged);
    EXPECT_EQ(a->run.shard, "1/2");
    EXPECT_EQ(b->run.shard, "2/2");
    EXPECT_EQ(a->cells.size() + b->cells.size(), w->cells.size());
    using Row = std::tuple<std::string, std::string, std::string, Verdict>;
    auto rows = [](const RunResult& r) {
        std::vector<Row> out;
        for (const auto& c : r.cells)
            out.emplace_back(c.hook, c.device, c.kernel, c.verdict);
        return out;
    };
    EXPECT_EQ(rows(*merged), rows(*w)); // the same cells, verdicts and order
    EXPECT_EQ(w->cells.size(), 6u);

    auto dup = hookmatrix({"merge", s1, s1, "-o", (dir_ / "dup").string()});
    EXPECT_EQ(dup.exit_code, 2);
    EXPECT_TRUE(one_line(dup.err)) << dup.err;
    EXPECT_NE(dup.err.find(s1 + " holds the cell"), std::string::npos) << dup.err;
    auto dup2 = hookmatrix({"merge", s1, whole, "-o", (dir_ / "dup").string()});
    EXPECT_EQ(dup2.exit_code, 2);
    EXPECT_NE(dup2.err.find(s1 + " and " + whole + " both hold the cell"), std::string::npos)
        << dup2.err;
    EXPECT_FALSE(fs::exists(dir_ / "dup" / "results.json"));
}

struct BadInput {
    const char* name;
    const char* content;
    const char* says;
};

TEST_F(DiffMerge, BadInputsAreOneLineErrorsWithExitCode2) {
    const std::string good = run_pair(dir_, "good");
    std::string whole;
    {
        std::ifstream in(good);
        whole.assign(std::istreambuf_iterator<char>(in), {});
    }
    const std::string cut = whole.substr(0, whole.size() / 2);
    for (const BadInput& b :
         {BadInput{.name = "empty.json", .content = "", .says = "empty file"},
          BadInput{.name = "cut.json", .content = cut.c_str(), .says = "truncated JSON"},
          BadInput{.name = "other.json",
          .content = R"({"schema":"other/1"})",
          .says = "'other/1' is not supported"},
          BadInput{
              .name = "foreign.json", .content = R"({"name":"x"})", .says = "schema: missing"}}) {
        const std::string path = (dir_ / b.name).string();
        std::ofstream(path) << b.content;
        for (auto args :
             {std::vector<std::string>{"diff", good, path},
              std::vector<std::string>{"merge", good, path, "-o", (dir_ / "m").string()}}) {
            auto r = hookmatrix(args);
            EXPECT_EQ(r.exit_code, 2) << args[0] << " " << b.name << ": " << r.out << r.err;
            EXPECT_TRUE(one_line(r.err)) << r.err;
            EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
            EXPECT_NE(r.err.find(b.says), std::string::npos) << r.err;
        }
    }
    EXPECT_FALSE(fs::exists(dir_ / "m" / "results.json"));

    auto kernels = hookmatrix({"diff", good, "--kernels", "1.0,2.0"});
    EXPECT_EQ(kernels.exit_code, 2);
    EXPECT_TRUE(one_line(kernels.err)) << kernels.err;
    EXPECT_NE(kernels.err.find("no cell ran on kernel '1.0'"), std::string::npos) << kernels.err;

    json other = load(good);
    for (auto& c : other["cells"])
        c["kernel"] = "0.0-elsewhere";
    const std::string elsewhere = save(dir_ / "elsewhere.json", other);
    auto none = hookmatrix({"diff", good, elsewhere});
    EXPECT_EQ(none.exit_code, 2);
    EXPECT_TRUE(one_line(none.err)) << none.err;
    EXPECT_NE(none.err.find("no cell in common"), std::string::npos) << none.err;
    auto across =
        hookmatrix({"diff", good, elsewhere, "--kernels",
                    load(good)["cells"][0]["kernel"].get<std::string>() + ",0.0-elsewhere"});
    EXPECT_EQ(across.exit_code, 0) << across.out << across.err;

    for (const char* shard : {"3/2", "0/2", "a/b"}) {
        auto r = hookmatrix({"run", "--hooks", "tc-ingress", "--devices", "veth", "--shard", shard,
                             "-o", (dir_ / "sharded").string()});
        EXPECT_EQ(r.exit_code, 2) << shard << ": " << r.out << r.err;
        EXPECT_TRUE(one_line(r.err)) << r.err;
        EXPECT_NE(r.err.find(std::string("shard '") + shard + "'"), std::string::npos) << r.err;
    }
    EXPECT_FALSE(fs::exists(dir_ / "sharded" / "results.json"));
}

} // namespace
} // namespace hm::test
