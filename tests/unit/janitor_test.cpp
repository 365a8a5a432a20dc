// core/janitor.h make_temp_tree: a scratch directory with a name no one can guess, made by its
// janitor, which removes that directory and nothing else: not one put in its place, not what a
// link inside or in its place points to.
#include "core/janitor.h"

#include "temp_dir.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace hm {
namespace {

namespace fs = std::filesystem;

TEST(TempTree, HasAnUnpredictableNameAndGoesWithEverythingInItOnReset) {
    test::TempDir base;
    ASSERT_TRUE(base.valid());
    const std::string prefix = base.file("hookmatrix-guest-debian_6.12-");
    auto a = Janitor::make_temp_tree(prefix);
    auto b = Janitor::make_temp_tree(prefix);
    ASSERT_TRUE(a) << a.error().message();
    ASSERT_TRUE(b) << b.error().message();
    EXPECT_NE(a->path, b->path);
    EXPECT_TRUE(a->path.starts_with(prefix));
    EXPECT_EQ(a->path.size(), prefix.size() + 6);
    EXPECT_TRUE(fs::is_directory(a->path));
    // Files, a directory, and links that must be removed as links.
    const std::string outside = base.file("outside");
    fs::create_directory(outside);
    test::write_file(outside + "/keep", "x");
    test::write_file(a->path + "/console.log", "boot");
    fs::create_directories(a->path + "/deep/deeper");
    test::write_file(a->path + "/deep/deeper/f", "y");
    fs::create_directory_symlink(outside, a->path + "/link-to-dir");
    fs::create_symlink(outside + "/keep", a->path + "/deep/link-to-file");
    a->janitor.reset();
    EXPECT_FALSE(fs::exists(fs::symlink_status(a->path)));
    EXPECT_EQ(test::read_file(outside + "/keep"), "x");
    b->janitor.reset();
    EXPECT_FALSE(fs::exists(fs::symlink_status(b->path)));
}

TEST(TempTree, ADirectoryPutInItsPlaceIsLeftAlone) {
    test::TempDir base;
    ASSERT_TRUE(base.valid());
    auto t = Janitor::make_temp_tree(base.file("scratch-"));
    ASSERT_TRUE(t) << t.error().message();
    fs::rename(t->path, base.file("moved"));
    fs::create_directory(t->path);
    test::write_file(t->path + "/theirs", "z");
    t->janitor.reset();
    EXPECT_EQ(test::read_file(t->path + "/theirs"), "z");
    EXPECT_TRUE(fs::is_directory(base.file("moved")));
}

TEST(TempTree, ALinkPutInItsPlaceIsNotFollowed) {
    test::TempDir base;
    ASSERT_TRUE(base.valid());
    auto t = Janitor::make_temp_tree(base.file("scratch-"));
    ASSERT_TRUE(t) << t.error().message();
    const std::string victim = base.file("victim");
    fs::create_directory(victim);
    test::write_file(victim + "/precious", "p");
    fs::remove(t->path);
    fs::create_directory_symlink(victim, t->path);
    t->janitor.reset();
    EXPECT_EQ(test::read_file(victim + "/precious"), "p");
    EXPECT_TRUE(fs::is_symlink(t->path));
}

TEST(TempTree, IsRemovedWhenItsMakerIsKilled) {
    test::TempDir base;
    ASSERT_TRUE(base.valid());
    int pipefd[2];
    ASSERT_EQ(::pipe(pipefd), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(pipefd[0]);
        auto t = Janitor::make_temp_tree(base.file("scratch-"));
        if (t && ::write(pipefd[1], t->path.data(), t->path.size()) > 0)
            test::write_file(t->path + "/file", "f");
        ::close(pipefd[1]);
        ::kill(::getpid(), SIGKILL);
        ::_exit(1);
    }
    ::close(pipefd[1]);
    char buf[4096];
    const ssize_t n = ::read(pipefd[0], buf, sizeof buf);
    ::close(pipefd[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_GT(n, 0);
    const std::string path(buf, static_cast<std::size_t>(n));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (fs::exists(fs::symlink_status(path)) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_FALSE(fs::exists(fs::symlink_status(path))) << path;
}

TEST(EmptyDir, RemovesLinksAsLinks) {
    test::TempDir base;
    ASSERT_TRUE(base.valid());
    fs::create_directories(base.file("d/sub"));
    test::write_file(base.file("target"), "t");
    fs::create_symlink(base.file("target"), base.file("d/sub/l"));
    const int fd = ::open(base.file("d").c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(fd, 0);
    EXPECT_TRUE(empty_dir(fd));
    ::close(fd);
    EXPECT_TRUE(fs::is_empty(base.file("d")));
    EXPECT_EQ(test::read_file(base.file("target")), "t");
}

} // namespace
} // namespace hm
