// diff --history and run --history / --history-add end to end: a folder of nights filled by
// runs, a program made slower on purpose judged a regression against every night of it, the
// first night of an empty history, the folder kept to its newest runs, and a bad night named.
#include "core/spawn.h"
#include "support.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace hm::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

using History = LeavesHostUnchangedWithTempDir;

// Two cells, tc-egress judged by the traced Hello-World `object`, into dir/NAME.
SpawnResult night(const fs::path& dir, const std::string& name, const std::string& object,
                  std::vector<std::string> extra = {}) {
    std::vector<std::string> args{
        "run",      "--hooks",   "tc-ingress,tc-egress",
        "--devices", "veth",     "--packets",
        "200",      "--object",  "tc-egress=" + std::string(HOOKMATRIX_TEST_OBJECTS) + "/" + object,
        "--trace",  "--no-html", "--no-junit",
        "--no-markdown", "-o",   (dir / name).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return hookmatrix(args);
}

std::size_t files_in(const fs::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir))
        ++n;
    return n;
}

// Two cells are too few to judge against neighbours, and a whole run here moves by up to 45%:
// the bar sits between that and the slow program's several hundred per cent.
const std::string kAboveWholeRunMoods = "60%";

TEST_F(History, ASlowerProgramIsARegressionAgainstEveryNightOfTheHistory) {
    const fs::path nights = dir_ / "nights";
    for (int n = 1; n <= 3; ++n) {
        auto r = night(dir_, "n" + std::to_string(n), "hello.o",
                       {"--history-add", nights.string()});
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    }
    EXPECT_EQ(files_in(nights), 3u);
    auto slow = night(dir_, "slow", "hello_slow.o");
    ASSERT_EQ(slow.exit_code, 0) << slow.out << slow.err;
    const std::string tonight = (dir_ / "slow" / "results.json").string();

    // --spread 1: with three nights the spread is the larger of two night-to-night shifts, and
    // one busy night (+74% seen) would set a bar of three times that near the slow program's own.
    auto r = hookmatrix({"diff", "-j", "--history", nights.string(), "--threshold",
                         kAboveWholeRunMoods, "--spread", "1", tonight});
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    const json diff = json::parse(r.out);
    ASSERT_TRUE(diff["history"].is_object()) << r.out;
    EXPECT_EQ(diff["history"]["nights"].size(), 3u);
    for (const json& c : diff["cells"])
        if (c["hook"] == "tc-egress") {
            EXPECT_EQ(c["change"], "regression") << c.dump();
            EXPECT_EQ(c["history"]["nights"], 3) << c.dump();
            EXPECT_EQ(c["history"]["slower_than"], 3) << c.dump();
        }
    auto text = hookmatrix({"diff", "--history", nights.string(), "--threshold",
                            kAboveWholeRunMoods, "--spread", "1", tonight});
    EXPECT_NE(text.out.find("regression (slower than 3 of 3 nights)"), std::string::npos)
        << text.out;
}

TEST_F(History, RunFilesItselfAndJudgesByTheNightsBeforeIt) {
    const fs::path nights = dir_ / "nights";
    const std::vector<std::string> both{"--history", nights.string(), "--history-add",
                                        nights.string(), "--history-keep", "2"};
    auto first = night(dir_, "first", "hello.o", both);
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_NE(first.out.find("holds no results yet: nothing to compare with"), std::string::npos)
        << first.out;
    auto second = night(dir_, "second", "hello_slow.o",
                        {"--history", nights.string(), "--threshold", kAboveWholeRunMoods});
    EXPECT_EQ(second.exit_code, 1) << second.out << second.err;
    EXPECT_NE(second.out.find("compared " + nights.string()), std::string::npos) << second.out;
    EXPECT_NE(second.out.find("measured again: tc-egress veth"), std::string::npos) << second.out;
    // Identical nights judged against the history: what is tested is that each is filed, not
    // its verdict, which on a busy machine may now and then be a regression (exit 1).
    std::vector<std::string> judged = both;
    judged.insert(judged.end(), {"--threshold", kAboveWholeRunMoods});
    for (int n = 0; n < 2; ++n) {
        auto more = night(dir_, "more" + std::to_string(n), "hello.o", judged);
        ASSERT_TRUE(more.exit_code == 0 || more.exit_code == 1) << more.out << more.err;
    }
    // Three runs filed, the newest two kept.
    EXPECT_EQ(files_in(nights), 2u);
}

TEST_F(History, AFileThatIsNoResultsInTheFolderIsAUsageErrorNamingIt) {
    const fs::path nights = dir_ / "nights";
    ASSERT_EQ(night(dir_, "n1", "hello.o", {"--history-add", nights.string()}).exit_code, 0);
    std::ofstream(nights / "notes.json") << "{\"hello\": 1}\n";
    auto r = hookmatrix({"diff", "--history", nights.string(),
                         (dir_ / "n1" / "results.json").string()});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("notes.json"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    auto both = hookmatrix({"run", "--baseline", "a.json", "--history", nights.string()});
    EXPECT_EQ(both.exit_code, 2) << both.out << both.err;
}

} // namespace
} // namespace hm::test
