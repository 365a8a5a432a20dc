// core/trace_printk_event.h restore_printk_switch: the kernel turns the bpf_trace_printk switch
// on from a workqueue a little after a load, so a switch put back must stay put back. A file
// stands in for the switch; tests/integration/printk_event_test.cpp has the kernel's own.
#include "core/trace_printk_event.h"

#include "temp_dir.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace hm {
namespace {

using namespace std::chrono_literals;

using test::read_file;
using test::write_file;

// The late work, as seen on a busy machine: the switch turned on again 10 ms after it was put
// back. The settling time is long here (3 s) so that the test's own write lands inside it
// however busy the machine.
TEST(PrintkSwitch, TurnedOnAgainRightAfterItWasPutBack_IsPutBackAgain) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    const std::string path = dir.file("enable");
    write_file(path, "1");
    std::thread restore([&] { restore_printk_switch(path.c_str(), '0', 3000); });
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (read_file(path) != "0" && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(10ms);
    write_file(path, "1");
    restore.join();
    EXPECT_EQ(read_file(path), "0");
}

TEST(PrintkSwitch, OnBeforeTheRun_IsLeftOnWithoutWatching) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    const std::string path = dir.file("enable");
    write_file(path, "0");
    const auto start = std::chrono::steady_clock::now();
    restore_printk_switch(path.c_str(), '1', 60'000);
    EXPECT_EQ(read_file(path), "1");
    EXPECT_LT(std::chrono::steady_clock::now() - start, 30s) << "the kernel only turns it on";
}

// Something that keeps turning it on (another tool loading such programs in a loop) is not
// fought for ever.
TEST(PrintkSwitch, KeptOnByAnotherTool_IsGivenUpAfterItsBound) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    const std::string path = dir.file("enable");
    write_file(path, "1");
    std::atomic<bool> done{false};
    std::thread other([&] {
        while (!done) {
            write_file(path, "1");
            std::this_thread::sleep_for(1ms);
        }
    });
    const auto start = std::chrono::steady_clock::now();
    restore_printk_switch(path.c_str(), '0', 60'000, 300);
    const auto took = std::chrono::steady_clock::now() - start;
    done = true;
    other.join();
    EXPECT_LT(took, 30s);
}

} // namespace
} // namespace hm
