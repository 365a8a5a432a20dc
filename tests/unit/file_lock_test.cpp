// core/file_lock.h: a second holder waits, is told it waits, and gets the lock when the first
// lets go; try_acquire takes a free lock and leaves a held one without waiting; a symlink where
// the lock file goes is refused.
#include "core/file_lock.h"
#include "runners/kernels/kernel_cache.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>

namespace hm {
namespace {

TEST(FileLock, ASecondHolderWaitsUntilTheFirstLetsGo) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    const std::string path = (dir.path() / "cache.lock").string();
    std::optional<Result<FileLock>> first(FileLock::acquire(path));
    ASSERT_TRUE(first->has_value()) << first->error().message();
    std::atomic<bool> told{false}, got{false};
    std::thread second([&] {
        auto lock = FileLock::acquire(path, [&](const std::string&) { told = true; });
        got = lock.has_value();
    });
    while (!told)
        std::this_thread::yield();
    EXPECT_FALSE(got);
    first.reset(); // the first holder lets go
    second.join();
    EXPECT_TRUE(got);
}

TEST(FileLock, TryAcquireTakesAFreeLockAndDoesNotWaitForAHeldOne) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    const std::string path = (dir.path() / "cache.lock").string();
    std::optional<Result<std::optional<FileLock>>> first(FileLock::try_acquire(path));
    ASSERT_TRUE(first->has_value()) << first->error().message();
    ASSERT_TRUE(first->value().has_value()) << "a free lock is taken";
    // flock locks belong to the open file description: the second open is another holder.
    auto second = FileLock::try_acquire(path);
    ASSERT_TRUE(second) << second.error().message();
    EXPECT_FALSE(second->has_value()) << "held by the first: not taken, and no wait";
    first.reset();
    auto third = FileLock::try_acquire(path);
    ASSERT_TRUE(third);
    EXPECT_TRUE(third->has_value());
}

TEST(FileLock, RefusesASymlinkWhereTheLockFileGoes) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    std::filesystem::create_symlink(dir.path() / "elsewhere", dir.path() / "cache.lock");
    auto lock = FileLock::acquire((dir.path() / "cache.lock").string());
    EXPECT_FALSE(lock);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "elsewhere"));
}

TEST(KernelCacheLock, MakesTheCacheThenAFetchAndABuildWaitForEachOther) {
    // kernel_cache.cpp (fetch) and kernel_build.cpp (build) both take this one lock.
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    const auto cache = dir.path() / "not" / "yet" / "made";
    std::optional<Result<FileLock>> fetch(lock_kernel_cache(cache, {}));
    ASSERT_TRUE(fetch->has_value()) << fetch->error().message();
    EXPECT_TRUE(std::filesystem::exists(cache / ".fetch.lock"));
    std::atomic<bool> got{false};
    std::string said;
    std::atomic<bool> told{false};
    std::thread build([&] {
        auto lock = lock_kernel_cache(cache, [&](const std::string& line) {
            said = line;
            told = true;
        });
        got = lock.has_value();
    });
    while (!told)
        std::this_thread::yield();
    EXPECT_FALSE(got);
    EXPECT_NE(said.find("waiting for another hookmatrix's fetch or build"), std::string::npos)
        << said;
    fetch.reset();
    build.join();
    EXPECT_TRUE(got);
}

} // namespace
} // namespace hm
