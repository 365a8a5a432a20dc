// run, diff, merge and report --expect end to end (known outcomes, issue 12), on this kernel:
// tc-egress on veth judged by a traced program that prints nothing fails every time, for a known
// reason; with that failure expected the exit code is 0 and every report says "expected fail". An
// expectation on the probe's passing tc-ingress is stale: "fixed, remove the expectation".
// Nothing here depends on latency: diff gets a threshold (100 ms) no latency change reaches.
#include "core/spawn.h"
#include "support.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hm::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

using Expect = LeavesHostUnchangedWithTempDir;

std::string slurp(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The cell (hook, veth) of a results.json.
json cell_of(const fs::path& results, const std::string& hook) {
    std::ifstream in(results);
    const json doc = json::parse(in);
    for (const json& c : doc["cells"])
        if (c["hook"] == hook && c["device"] == "veth")
            return c;
    ADD_FAILURE() << "no cell " << hook << " veth in " << results;
    return json::object();
}

const std::string kReason = "silent.o prints nothing (issue 12)";

// tc-egress's failure on this kernel, by the name the run gives it: host.
std::string known_failure(const fs::path& dir) {
    const fs::path file = dir / "known.yaml";
    std::ofstream(file) << "# known outcomes\n"
                           "- hook: tc-egress\n"
                           "  device: veth\n"
                           "  kernel: host\n"
                           "  verdict: fail\n"
                           "  reason: "
                        << kReason << "\n";
    return file.string();
}

// tc-ingress with the probe, and tc-egress with a traced program that prints nothing: a pass and
// a fail, whatever the machine's mood. Into dir/NAME.
SpawnResult run_silent(const fs::path& dir, const std::string& name,
                       std::vector<std::string> extra = {}) {
    std::vector<std::string> args{
        "run",       "--hooks",   "tc-ingress,tc-egress",
        "--devices", "veth",      "--packets",
        "20",        "--object",  "tc-egress=" + std::string(HOOKMATRIX_TEST_OBJECTS) + "/silent.o",
        "--trace",   "-o",        (dir / name).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return hookmatrix(args);
}

TEST_F(Expect, AKnownFailureExitsZeroAndReadsExpectedFailInEveryReport) {
    const std::string known = known_failure(dir_);
    auto bare = run_silent(dir_, "bare", {"--no-html", "--no-junit", "--no-markdown"});
    ASSERT_EQ(bare.exit_code, 1) << "the failure is real without --expect: " << bare.out
                                 << bare.err;

    auto r = run_silent(dir_, "known", {"--expect", known});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(contains(r.out, "expected fail")) << r.out;
    EXPECT_TRUE(contains(r.out, "(expected fail: " + kReason + ")")) << r.out;
    EXPECT_TRUE(contains(r.out, "1 pass, 0 fail, 0 unsupported, 0 error, 1 expected")) << r.out;

    const fs::path out = dir_ / "known";
    const json egress = cell_of(out / "results.json", "tc-egress");
    EXPECT_EQ(egress["verdict"], "fail") << egress.dump();
    EXPECT_EQ(egress["expected"],
              (json{{"verdict", "fail"}, {"reason", kReason}, {"outcome", "met"}}));
    EXPECT_FALSE(cell_of(out / "results.json", "tc-ingress").contains("expected"));

    const std::string junit = slurp(out / "junit.xml");
    EXPECT_TRUE(contains(junit, "<skipped message=\"expected fail: " + kReason + "\">")) << junit;
    EXPECT_FALSE(contains(junit, "<failure")) << junit;
    EXPECT_TRUE(contains(slurp(out / "compat.md"), "expected fail"));
    EXPECT_TRUE(contains(slurp(out / "report.html"), "expected fail"));

    // report: the file carries its marks; without them (an expectation file that knows nothing)
    // the failure counts again.
    const fs::path empty = dir_ / "empty.yaml";
    std::ofstream(empty) << "[]\n";
    auto again = hookmatrix({"report", (out / "results.json").string(), "--junit",
                             (dir_ / "again.xml").string()});
    EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
    auto cleared = hookmatrix({"report", (out / "results.json").string(), "--expect",
                               empty.string(), "--junit", (dir_ / "cleared.xml").string()});
    EXPECT_EQ(cleared.exit_code, 1) << cleared.out << cleared.err;
    auto marked = hookmatrix({"report", (dir_ / "bare" / "results.json").string(), "--expect",
                              known, "--junit", (dir_ / "marked.xml").string()});
    EXPECT_EQ(marked.exit_code, 0) << marked.out << marked.err;
    EXPECT_TRUE(contains(slurp(dir_ / "marked.xml"), "expected fail: " + kReason));
}

TEST_F(Expect, AnExpectationOnAPassingCellSaysFixedRemoveTheExpectation) {
    const fs::path file = dir_ / "stale.yaml";
    std::ofstream(file) << "- hook: tc-ingress\n  verdict: fail\n  reason: was broken once\n";
    auto r = hookmatrix({"run", "--hooks", "tc-ingress", "--devices", "veth", "--packets", "20",
                         "--no-html", "--no-markdown", "--expect", file.string(), "-o",
                         (dir_ / "stale").string()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(contains(r.out, "fixed, remove the expectation: tc-ingress veth ")) << r.out;
    EXPECT_TRUE(contains(r.out, "passes; expected fail: was broken once")) << r.out;
    const json c = cell_of(dir_ / "stale" / "results.json", "tc-ingress");
    EXPECT_EQ(c["verdict"], "pass");
    EXPECT_EQ(c["expected"]["outcome"], "fixed");
    EXPECT_TRUE(contains(slurp(dir_ / "stale" / "junit.xml"), "fixed, remove the expectation"));
}

TEST_F(Expect, DiffCallsAnExpectedFailureNoRegression) {
    const std::string known = known_failure(dir_);
    const std::vector<std::string> quiet{"--no-html", "--no-junit", "--no-markdown"};
    std::vector<std::string> args{"run", "--hooks", "tc-ingress,tc-egress", "--devices", "veth",
                                  "--packets", "20", "-o", (dir_ / "base").string()};
    args.insert(args.end(), quiet.begin(), quiet.end());
    auto base = hookmatrix(args);
    ASSERT_EQ(base.exit_code, 0) << base.out << base.err;
    auto now = run_silent(dir_, "now", quiet);
    ASSERT_EQ(now.exit_code, 1) << now.out << now.err;
    const std::string a = (dir_ / "base" / "results.json").string(),
                      b = (dir_ / "now" / "results.json").string();
    // No latency change can count at 100 ms: only the verdicts are judged.
    auto plain = hookmatrix({"diff", a, b, "--threshold", "100ms"});
    EXPECT_EQ(plain.exit_code, 1) << plain.out << plain.err;
    EXPECT_TRUE(contains(plain.out, "1 regressions")) << plain.out;
    auto d = hookmatrix({"diff", a, b, "--threshold", "100ms", "--expect", known});
    EXPECT_EQ(d.exit_code, 0) << d.out << d.err;
    EXPECT_TRUE(contains(d.out, "expected fail: " + kReason)) << d.out;
    EXPECT_TRUE(contains(d.out, "0 regressions, 0 improvements, 1 unchanged, 1 expected"))
        << d.out;
    auto j = hookmatrix({"diff", "-j", a, b, "--threshold", "100ms", "--expect", known});
    ASSERT_EQ(j.exit_code, 0) << j.out << j.err;
    const json doc = json::parse(j.out);
    EXPECT_EQ(doc["summary"]["expected"], 1);
    EXPECT_FALSE(doc["regression"].get<bool>());
}

TEST_F(Expect, MergeOfShardsWithAKnownFailureExitsZero) {
    const std::string known = known_failure(dir_);
    const std::vector<std::string> quiet{"--no-html", "--no-junit", "--no-markdown"};
    std::vector<std::string> s1 = quiet, s2 = quiet;
    s1.insert(s1.end(), {"--shard", "1/2"});
    s2.insert(s2.end(), {"--shard", "2/2"});
    auto r1 = run_silent(dir_, "s1", s1);
    auto r2 = run_silent(dir_, "s2", s2);
    // One shard holds the failing cell, the other the passing one.
    ASSERT_EQ(r1.exit_code + r2.exit_code, 1) << r1.out << r1.err << r2.out << r2.err;
    const std::string a = (dir_ / "s1" / "results.json").string(),
                      b = (dir_ / "s2" / "results.json").string();
    auto plain = hookmatrix({"merge", a, b, "-o", (dir_ / "plain").string()});
    EXPECT_EQ(plain.exit_code, 1) << plain.out << plain.err;
    auto m = hookmatrix({"merge", a, b, "--expect", known, "-o", (dir_ / "merged").string()});
    ASSERT_EQ(m.exit_code, 0) << m.out << m.err;
    EXPECT_TRUE(contains(m.out, "1 pass, 0 fail, 0 unsupported, 0 error, 1 expected")) << m.out;
    const json egress = cell_of(dir_ / "merged" / "results.json", "tc-egress");
    EXPECT_EQ(egress["expected"]["outcome"], "met") << egress.dump();
}

} // namespace
} // namespace hm::test
