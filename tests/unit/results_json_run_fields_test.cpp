// matrix/results/results_json.h: the optional run fields of sharded and merged runs, and the errors
// for files that are not results at all.
#include "matrix/results/results_json.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <string>

namespace hm {
namespace {

using json = nlohmann::ordered_json;

RunResult sharded() {
    return {.run = {.tool_version = "0.1.0",
                    .libbpf_version = "1.1",
                    .host = "ci-1",
                    .kernel_release = "6.1",
                    .command_line = "hookmatrix run --shard 2/3",
                    .packets_per_cell = 4,
                    .shard = "2/3"}};
}

TEST(ResultsJsonRunFields, ShardIsWrittenAndReadBack) {
    json doc = to_json(sharded());
    EXPECT_EQ(doc["run"]["shard"], "2/3");
    EXPECT_FALSE(doc["run"].contains("hosts"));
    auto back = results_from_json(doc, "r.json");
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(back->run.shard, "2/3");
}

TEST(ResultsJsonRunFields, WholeRunsHaveNoShardField) {
    RunResult r = sharded();
    r.run.shard.clear();
    EXPECT_FALSE(to_json(r)["run"].contains("shard"));
    auto back = results_from_json(to_json(r), "r.json");
    ASSERT_TRUE(back);
    EXPECT_TRUE(back->run.shard.empty());
}

TEST(ResultsJsonRunFields, MergedHostsAndKernelsAreWrittenAndReadBack) {
    RunResult r = sharded();
    r.run.hosts = {"ci-1", "ci-2"};
    r.run.kernels = {"6.1", "6.6"};
    json doc = to_json(r);
    EXPECT_EQ(doc["run"]["hosts"], json::parse(R"(["ci-1", "ci-2"])"));
    auto back = results_from_json(doc, "r.json");
    ASSERT_TRUE(back);
    EXPECT_EQ(back->run.hosts, r.run.hosts);
    EXPECT_EQ(back->run.kernels, r.run.kernels);
    doc["run"]["kernels"] = "6.1";
    auto bad = results_from_json(doc, "r.json");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().what, "r.json: run.kernels: not an array of strings");
}

struct BadFile {
    const char* content;
    const char* says;
};

TEST(ResultsJsonRunFields, BadFilesGiveOneLineErrorsNamingTheFile) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    const std::string path = dir.file("results.json");
    const std::string whole = to_json(sharded()).dump(2);
    for (const BadFile& b : {
             BadFile{.content = "", .says = "empty file"},
             BadFile{.content = "\n  \n", .says = "empty file"},
             BadFile{.content = R"({"schema": "hookmatrix/1", "run": {)", .says = "truncated JSON"},
             BadFile{.content = "[1, 2, 3]", .says = "not a JSON object"},
             BadFile{.content = R"({"schema": "other/1"})", .says = "'other/1' is not supported"},
             BadFile{.content = R"({"name": "package.json"})", .says = "schema: missing"},
             BadFile{.content = "hello", .says = "not valid JSON at byte"},
         }) {
        test::write_file(path, b.content);
        auto r = read_results_file(path);
        ASSERT_FALSE(r) << b.content;
        const std::string msg = r.error().message();
        EXPECT_EQ(msg.rfind(path, 0), 0u) << msg;
        EXPECT_NE(msg.find(b.says), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
    test::write_file(path, whole.substr(0, whole.size() / 2));
    auto cut = read_results_file(path);
    ASSERT_FALSE(cut);
    EXPECT_NE(cut.error().what.find("truncated JSON"), std::string::npos) << cut.error().what;
}

} // namespace
} // namespace hm
