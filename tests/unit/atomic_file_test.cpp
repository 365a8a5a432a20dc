// core/atomic_file.h: a whole file or nothing, and nothing left beside it.
#include "core/atomic_file.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace hm {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        out.push_back(e.path().filename().string());
    return out;
}

class AtomicFile : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dir_.valid()) << "mkdtemp failed"; }
    test::TempDir dir_;
};

TEST_F(AtomicFile, WritesTheWholeContent) {
    const std::string path = dir_.file("results.json");
    const std::string content = "{\"schema\": \"hookmatrix/1\"}\n" + std::string(100'000, 'x');
    auto s = write_file_atomically(path, content);
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_EQ(test::read_file(path), content);
}

TEST_F(AtomicFile, WritesAnEmptyFile) {
    const std::string path = dir_.file("empty");
    auto s = write_file_atomically(path, "");
    ASSERT_TRUE(s) << s.error().message();
    ASSERT_TRUE(fs::exists(path));
    EXPECT_EQ(fs::file_size(path), 0u);
}

TEST_F(AtomicFile, ReplacesAnExistingFile) {
    const std::string path = dir_.file("results.json");
    test::write_file(path, "an older and much longer results file that must not leave a tail");
    auto s = write_file_atomically(path, "new");
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_EQ(test::read_file(path), "new");
}

TEST_F(AtomicFile, LeavesNoTemporaryFileBehind) {
    ASSERT_TRUE(write_file_atomically(dir_.file("results.json"), "one"));
    ASSERT_TRUE(write_file_atomically(dir_.file("results.json"), "two"));
    EXPECT_EQ(entries(dir_.path()), std::vector<std::string>{"results.json"});
}

TEST_F(AtomicFile, MakesTheFileReadableByOthers) {
    // mkstemp creates 0600; a results file is for CI artefacts and other users too.
    const std::string path = dir_.file("results.json");
    ASSERT_TRUE(write_file_atomically(path, "x"));
    EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                  fs::perms::others_read);
}

TEST_F(AtomicFile, FailsWithAnErrorForAMissingDirectory) {
    const std::string path = dir_.file("no-such-dir/results.json");
    auto s = write_file_atomically(path, "x");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().err, ENOENT);
    EXPECT_NE(s.error().what.find(path), std::string::npos) << s.error().what;
    EXPECT_NE(s.error().message().find("No such file or directory"), std::string::npos)
        << s.error().message();
    EXPECT_TRUE(entries(dir_.path()).empty());
}

} // namespace
} // namespace hm
