// `hookmatrix report` on saved results: several files joined into one report of each format, bad
// input, a cell found twice, and a baseline. It needs no root and no kernel.
#include "core/spawn.h"
#include "matrix/results/results_json.h"
#include "report_support.h"
#include "support.h"

#include <nlohmann/json.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace hm::test {
namespace {

namespace fs = std::filesystem;

// `hookmatrix report` needs no root and no kernel: a saved results.json is enough.
class ReportCommand : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/hookmatrix-report-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name, std::ios::binary) << text;
        return (dir_ / name).string();
    }
    std::string results(const std::string& name, const std::string& kernel) {
        RunResult run;
        run.run = {.tool_version = "0.1.0", .host = "h", .kernel_release = kernel};
        CellResult c{.hook = "tc-ingress",
                     .device = "veth",
                     .kernel = kernel,
                     .verdict = Verdict::Pass,
                     .reason = "ok"};
        c.samples_ns = {2'000, 2'100};
        c.latency = summarize(c.samples_ns);
        run.cells.push_back(c);
        return write(name, to_json(run).dump(2));
    }
    SpawnResult report(std::vector<std::string> args) {
        args.insert(args.begin(), {HOOKMATRIX_BINARY, "report"});
        auto r = spawn(args);
        EXPECT_TRUE(r) << r.error().message();
        return r ? *r : SpawnResult{};
    }
    fs::path dir_;
};

TEST_F(ReportCommand, JoinsSeveralResultsIntoOneReportOfEachFormat) {
    const auto a = results("a.json", "6.1.0"), b = results("b.json", "6.6.0");
    const auto md = (dir_ / "compat.md").string(), xml = (dir_ / "junit.xml").string(),
               html = (dir_ / "report.html").string();
    auto r = report({a, b, "--markdown", md, "--junit", xml, "--html", html});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto table = markdown_table(slurp(md));
    ASSERT_TRUE(table.contains("tc-ingress")) << slurp(md);
    EXPECT_EQ(table.at("tc-ingress").size(), 2u); // a column per kernel
    EXPECT_NE(slurp(xml).find("<testsuites name=\"hookmatrix\" tests=\"2\""), std::string::npos);
    EXPECT_NE(slurp(html).find("<dd>6.1.0, 6.6.0</dd>"), std::string::npos);
}

TEST_F(ReportCommand, BadInputExitsTwoWithOneLineNamingTheFile) {
    const auto good = results("good.json", "6.1.0");
    const auto out = (dir_ / "compat.md").string();
    const std::pair<std::string, std::string> cases[] = {
        {write("empty.json", ""), "empty"},
        {write("cut.json", slurp(good).substr(0, 100)), "truncated"},
        {write("foreign.json", R"({"name": "package.json"})"), "schema"},
        {write("future.json", R"({"schema": "hookmatrix/99"})"), "hookmatrix/99"},
        {(dir_ / "missing.json").string(), "missing.json"},
    };
    for (const auto& [file, says] : cases) {
        auto r = report({good, file, "--markdown", out});
        EXPECT_EQ(r.exit_code, 2) << file;
        EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_FALSE(fs::exists(out)) << "nothing is written from bad input";
    }
}

TEST_F(ReportCommand, TheSameCellInTwoFilesIsAnErrorNamingBoth) {
    const auto a = results("a.json", "6.1.0"), b = results("b.json", "6.1.0");
    auto r = report({a, b, "--junit", (dir_ / "j.xml").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(a), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(b), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("tc-ingress on veth"), std::string::npos) << r.err;
}

TEST_F(ReportCommand, WithABaselineTheMarkdownListsOnlyChangesAndARegressionExitsOne) {
    const auto now = results("now.json", "6.1.0");
    auto doc = nlohmann::ordered_json::parse(slurp(now));
    doc["cells"][0]["verdict"] = "attached";
    doc["cells"][0]["reason"] = "attached; no packet reaches it here";
    const auto base = write("base.json", doc.dump(2));
    const auto md = (dir_ / "changes.md").string(), html = (dir_ / "report.html").string();
    // attached -> pass is new support: an improvement, exit 0.
    auto better = report({now, "--baseline", base, "--markdown", md, "--html", html});
    EXPECT_EQ(better.exit_code, 0) << better.err;
    EXPECT_NE(better.out.find("0 regressions, 1 improvements, 0 unchanged"), std::string::npos)
        << better.out;
    EXPECT_NE(slurp(md).find("| tc-ingress | veth | 6.1.0 | 🔗 attached[^1] | ✅ | improvement "
                             "(new-support) |"),
              std::string::npos)
        << slurp(md);
    EXPECT_NE(slurp(html).find("data-changes=\"1\" data-regressions=\"0\""), std::string::npos);
    // The other way round, pass -> attached is a regression: exit 1.
    auto worse = report({base, "--baseline", now, "--markdown", md});
    EXPECT_EQ(worse.exit_code, 1) << worse.err;
    EXPECT_NE(slurp(md).find("**regression**"), std::string::npos) << slurp(md);
    // Nothing changed: one clear line.
    auto same = report({now, "--baseline", now, "--markdown", md});
    EXPECT_EQ(same.exit_code, 0) << same.err;
    EXPECT_NE(slurp(md).find("No cell changed since the baseline (1 cells compared)."),
              std::string::npos)
        << slurp(md);
}

TEST_F(ReportCommand, ABadOrIncomparableBaselineExitsTwoNamingIt) {
    const auto now = results("now.json", "6.1.0");
    const auto md = (dir_ / "changes.md").string();
    auto bad = report({now, "--baseline", write("cut.json", "{\"schema\""), "--markdown", md});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("--baseline: " + (dir_ / "cut.json").string()), std::string::npos)
        << bad.err;
    auto other = report({now, "--baseline", results("old.json", "5.10.0"), "--markdown", md});
    EXPECT_EQ(other.exit_code, 2);
    EXPECT_NE(other.err.find("no cell in common"), std::string::npos) << other.err;
    EXPECT_NE(other.err.find("--kernels 5.10.0,6.1.0"), std::string::npos) << other.err;
    EXPECT_FALSE(fs::exists(md)) << "nothing is written from bad input";
    auto lone = report({now, "--threshold", "5%", "--markdown", md});
    EXPECT_EQ(lone.exit_code, 2) << "--threshold needs --baseline";
}

TEST_F(ReportCommand, WithoutAnOutputItIsAUsageError) {
    auto r = report({results("a.json", "6.1.0")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--html"), std::string::npos) << r.err;
}

} // namespace
} // namespace hm::test
