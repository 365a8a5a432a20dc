// core/spawn.h: a stop request ends a long child at once (the guest of a run that got SIGINT),
// and a child does not outlive the thread that spawned it.
#include "core/spawn.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace hm {
namespace {

TEST(Spawn, AStopRequestEndsALongChildWithEintr) {
    std::atomic<bool> stop{false};
    std::jthread asker([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        stop = true;
    });
    const auto t0 = std::chrono::steady_clock::now();
    auto r = spawn({"sleep", "120"},
                   SpawnOptions{.timeout = std::chrono::minutes(5), .stop = &stop});
    const auto took = std::chrono::steady_clock::now() - t0;
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().err, EINTR) << r.error().message();
    // A generous bound (the child sleeps two minutes): what matters is that it did not wait.
    EXPECT_LT(took, std::chrono::seconds(60));
}

TEST(Spawn, WithoutAStopAChildRunsToItsEnd) {
    std::atomic<bool> stop{false};
    auto r = spawn({"sh", "-c", "echo done"}, SpawnOptions{.stop = &stop});
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 0);
    EXPECT_EQ(r->out, "done\n");
}

} // namespace
} // namespace hm
