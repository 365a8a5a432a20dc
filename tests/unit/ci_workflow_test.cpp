// ci/workflows/hookmatrix.yml: every `run:` step calls only scripts in ci/ that exist (so the
// logic CI runs is the logic ctest exercises, tests/integration/ci_scripts_test.cpp), values
// reach the shell through env: rather than ${{ }} expansions, one job runs each kernel of the
// axis (the host and Debian's, upcoming experimental among them) and the merge expects them all,
// and the nightly schedule is there. The checker is also shown rejecting steps it must reject.
#include "core/spawn.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

namespace hm {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = fs::path(HOOKMATRIX_TEST_DATA) / ".." / "..";
const fs::path kWorkflow = kSource / "ci" / "workflows" / "hookmatrix.yml";

// The commands of a `run:` text: its lines, split at ;, &&, || and |.
std::vector<std::string> commands(const std::string& run) {
    std::vector<std::string> out;
    static const std::regex sep(R"(\n|;|&&|\|\||\|)");
    for (std::sregex_token_iterator it(run.begin(), run.end(), sep, -1), end; it != end; ++it) {
        std::string c = *it;
        const auto first = c.find_first_not_of(" \t");
        if (first == std::string::npos || c[first] == '#')
            continue;
        out.push_back(c.substr(first));
    }
    return out;
}

// What is wrong with the workflow's `run:` steps; empty when nothing is. A step may only call
// an executable script ci/NAME.sh of this checkout, and may not expand ${{ }} in the shell line
// (an expression's value would be parsed as shell code).
std::vector<std::string> run_step_problems(const YAML::Node& workflow) {
    std::vector<std::string> problems;
    static const std::regex script(R"(^(ci/[A-Za-z0-9_-]+\.sh)(\s|$))");
    for (const auto& job : workflow["jobs"]) {
        const std::string name = job.first.as<std::string>();
        for (const auto& step : job.second["steps"]) {
            if (!step["run"])
                continue;
            const std::string run = step["run"].as<std::string>();
            if (run.find("${{") != std::string::npos)
                problems.push_back(name + ": expands ${{ }} in a shell line: " + run);
            for (const auto& c : commands(run)) {
                std::smatch m;
                if (!std::regex_search(c, m, script)) {
                    problems.push_back(name + ": calls something other than a ci/ script: " + c);
                    continue;
                }
                const fs::path path = kSource / m[1].str();
                if (!fs::is_regular_file(path) || ::access(path.c_str(), X_OK) != 0)
                    problems.push_back(name + ": " + m[1].str() + " is not an executable file");
            }
        }
    }
    return problems;
}

std::vector<std::string> scripts_called(const YAML::Node& workflow) {
    std::vector<std::string> out;
    for (const auto& job : workflow["jobs"])
        for (const auto& step : job.second["steps"])
            if (step["run"])
                for (const auto& c : commands(step["run"].as<std::string>()))
                    out.push_back(c.substr(0, c.find(' ')));
    return out;
}

TEST(CiWorkflow, EveryRunStepCallsOnlyScriptsInCiThatExist) {
    ASSERT_TRUE(fs::exists(kWorkflow)) << kWorkflow;
    const YAML::Node workflow = YAML::LoadFile(kWorkflow.string());
    ASSERT_TRUE(workflow["jobs"] && workflow["jobs"].size() >= 3);
    const auto problems = run_step_problems(workflow);
    EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
    // The scripts the integration test runs are the ones the workflow runs.
    const auto called = scripts_called(workflow);
    for (const char* s : {"ci/build.sh", "ci/matrix-shard.sh", "ci/merge-shards.sh",
                          "ci/nightly-diff.sh", "ci/pack-build.sh", "ci/unpack-build.sh"})
        EXPECT_NE(std::ranges::find(called, s), called.end()) << s << " is not called";
}

TEST(CiWorkflow, TheCheckerRejectsOtherCommandsMissingScriptsAndExpressions) {
    const YAML::Node bad = YAML::Load(R"(
jobs:
  a:
    steps:
      - run: make -j4
      - run: ci/no-such-script.sh
      - run: ci/build.sh && rm -rf build
      - run: ci/matrix-shard.sh "${{ matrix.shard }}" 4 out
      - uses: actions/checkout@v4
)");
    const auto problems = run_step_problems(bad);
    ASSERT_EQ(problems.size(), 4u) << ::testing::PrintToString(problems);
    EXPECT_NE(problems[0].find("make -j4"), std::string::npos);
    EXPECT_NE(problems[1].find("ci/no-such-script.sh is not an executable file"),
              std::string::npos);
    EXPECT_NE(problems[2].find("rm -rf build"), std::string::npos);
    EXPECT_NE(problems[3].find("${{ }}"), std::string::npos);
}

TEST(CiWorkflow, OneJobPerKernelAndTheMergeExpectsThemAll) {
    const YAML::Node workflow = YAML::LoadFile(kWorkflow.string());
    EXPECT_FALSE(workflow["jobs"]["shard"]) << "the host's cells run in one job, not in shards";
    const YAML::Node job = workflow["jobs"]["kernel"];
    const YAML::Node include = job["strategy"]["matrix"]["include"];
    ASSERT_TRUE(include.IsSequence());
    std::vector<std::string> kernels, ids;
    for (const auto& entry : include) {
        kernels.push_back(entry["kernel"].as<std::string>());
        ids.push_back(entry["id"].as<std::string>());
        // An artifact's name may not hold ':' (nor '/'): the id names it, not the kernel.
        EXPECT_EQ(ids.back().find_first_of(":/\\"), std::string::npos) << ids.back();
    }
    EXPECT_EQ(kernels, (std::vector<std::string>{"host", "debian:5.10", "debian:6.1", "debian:6.12",
                                                 "debian:7.2", "debian:experimental"}));
    auto unique = ids;
    std::ranges::sort(unique);
    EXPECT_EQ(std::ranges::unique(unique).begin(), unique.end()) << "two jobs, one artifact name";
    // merge-shards.sh refuses fewer results than KERNEL_JOBS: a kernel's job that died must
    // not pass for a smaller matrix.
    EXPECT_EQ(workflow["env"]["KERNEL_JOBS"].as<std::size_t>(), include.size());
    EXPECT_FALSE(job["strategy"]["fail-fast"].as<bool>());
    EXPECT_EQ(job["env"]["KERNEL"].as<std::string>(), "${{ matrix.kernel }}");
    // The job's kernel reaches the run through env:, and its results the merge's download.
    bool runs_kernel = false;
    for (const auto& step : job["steps"])
        if (step["run"] &&
            step["run"].as<std::string>().find("--kernels \"$KERNEL\"") != std::string::npos)
            runs_kernel = true;
    EXPECT_TRUE(runs_kernel);
    EXPECT_EQ(workflow["jobs"]["merge"]["needs"][1].as<std::string>(), "kernel");
    bool downloads_all = false;
    for (const auto& step : workflow["jobs"]["merge"]["steps"])
        if (step["with"] && step["with"]["pattern"])
            downloads_all = step["with"]["pattern"].as<std::string>() == "kernel-*";
    EXPECT_TRUE(downloads_all);
}

TEST(CiWorkflow, ReportsAreUploadedAndANightlyScheduleRuns) {
    const YAML::Node workflow = YAML::LoadFile(kWorkflow.string());
    const YAML::Node schedule = workflow["on"]["schedule"];
    ASSERT_TRUE(schedule.IsSequence() && schedule.size() >= 1);
    EXPECT_FALSE(schedule[0]["cron"].as<std::string>().empty());
    // The merge job runs when a kernel's job failed a cell, so the reports are uploaded anyway.
    EXPECT_EQ(workflow["jobs"]["merge"]["if"].as<std::string>(), "${{ !cancelled() }}");
    bool uploads_merged = false;
    for (const auto& step : workflow["jobs"]["merge"]["steps"])
        if (step["uses"] && step["uses"].as<std::string>().starts_with("actions/upload-artifact"))
            uploads_merged |= step["with"]["path"].as<std::string>() == "merged/";
    EXPECT_TRUE(uploads_merged) << "merged/ holds results.json, report.html, compat.md";
}

TEST(CiScripts, AreValidBashThatStopsOnErrors) {
    for (const auto& entry : fs::directory_iterator(kSource / "ci")) {
        if (entry.path().extension() != ".sh")
            continue;
        std::ifstream in(entry.path());
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_TRUE(text.starts_with("#!/usr/bin/env bash\n")) << entry.path();
        EXPECT_NE(text.find("\nset -euo pipefail\n"), std::string::npos) << entry.path();
        EXPECT_EQ(::access(entry.path().c_str(), X_OK), 0) << entry.path();
        auto parsed = spawn({"bash", "-n", entry.path().string()});
        ASSERT_TRUE(parsed) << parsed.error().message();
        EXPECT_EQ(parsed->exit_code, 0) << entry.path() << ": " << parsed->err;
    }
}

} // namespace
} // namespace hm
