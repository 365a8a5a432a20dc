// Loading a program that calls bpf_trace_printk switches the host's bpf_trace_printk event on,
// and the kernel never switches it off. hookmatrix puts it back: after a normal run, after a
// SIGKILL (its janitor does), and when two runs overlap (the last one to finish does, with the
// value from before the first one started).
#include "core/spawn.h"
#include "core/tracefs.h"
#include "support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <iterator>
#include <thread>

namespace hm::test {
namespace {

namespace fs = std::filesystem;

const std::string kHello = std::string(HOOKMATRIX_TEST_OBJECTS) + "/hello.o";

// Every test starts with the event off, whatever the host had, so that "back to how it was"
// can only mean off, and puts the host's value back at the end.
class PrintkEvent : public LeavesHostUnchangedWithTempDir {
protected:
    void SetUp() override {
        auto dir = tracefs_dir();
        ASSERT_TRUE(dir) << dir.error().message();
        path_ = *dir + "/events/bpf_trace/bpf_trace_printk/enable";
        host_value_ = value();
        ASSERT_FALSE(host_value_.empty()) << path_ << " is unreadable";
        write("0");
        LeavesHostUnchangedWithTempDir::SetUp();
        ASSERT_EQ(before_.printk_event, "0");
    }
    void TearDown() override {
        LeavesHostUnchangedWithTempDir::TearDown();
        if (!host_value_.empty())
            write(host_value_);
    }

    std::string value() const {
        std::ifstream in(path_);
        std::string v;
        std::getline(in, v);
        return v;
    }
    void write(const std::string& v) const { std::ofstream(path_) << v; }

    // A run of the Hello-World program in trace mode long enough to be killed inside its cell.
    pid_t start_traced_run(const std::string& name) {
        const std::string out = (dir_ / (name + ".stdout")).string();
        return start_hookmatrix({"run", "--hooks", "tc-egress", "--devices", "veth", "--object",
                                 kHello, "--trace", "--packets", "1000000", "-o",
                                 (dir_ / name).string()},
                                out);
    }
    // Waits until the run's program is loaded: the event then reads 1 (it was 0).
    bool wait_for_event_on() const {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < deadline) {
            if (value() == "1")
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
    static void kill_and_reap(pid_t pid) {
        ASSERT_EQ(::kill(pid, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFSIGNALED(status)) << "the run ended before it was killed";
    }
    // The runs that saved the event's state and have not restored it: each binds an abstract
    // socket named for it (core/trace_printk_event.cpp), which /proc/net/unix lists.
    static bool wait_for_members(std::size_t n) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        for (;;) {
            std::ifstream in("/proc/net/unix");
            std::size_t members = 0;
            for (std::string line; std::getline(in, line);)
                members += line.find("@hookmatrix-printk-event/") != std::string::npos;
            if (members >= n)
                return true;
            if (std::chrono::steady_clock::now() >= deadline)
                return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    // The janitor restores once the killed process is gone; it may take a moment.
    bool wait_for_event(const std::string& v) const {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline && value() != v)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return value() == v;
    }

    std::string path_;
    std::string host_value_;
};

TEST_F(PrintkEvent, ATracedRunKilledInsideItsCell_LeavesTheEventOff) {
    const pid_t pid = start_traced_run("killed");
    ASSERT_GT(pid, 0);
    ASSERT_TRUE(wait_for_event_on()) << "the Hello-World program never switched the event on";
    kill_and_reap(pid);
    EXPECT_TRUE(wait_for_event("0")) << "the event is left " << value();
}

TEST_F(PrintkEvent, TwoOverlappingRuns_TheSecondDoesNotRestoreWhatTheFirstSwitchedOn) {
    // The second run starts when the event is already on (the first run's program did it).
    const pid_t first = start_traced_run("first");
    ASSERT_GT(first, 0);
    ASSERT_TRUE(wait_for_event_on());
    const pid_t second = start_traced_run("second");
    ASSERT_GT(second, 0);
    // The second has joined once it saved the event's state (before it loads its program): two
    // members then. A fixed pause could end before that on a busy machine.
    ASSERT_TRUE(wait_for_members(2)) << "the second run never saved the event's state";
    // The first to end must not switch it off under the second...
    kill_and_reap(first);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(value(), "1");
    // ...and the last must put back the value from before both, not the 1 it found.
    kill_and_reap(second);
    EXPECT_TRUE(wait_for_event("0")) << "the event is left " << value();
}

TEST_F(PrintkEvent, ATracedRunThatEnds_LeavesTheEventAsItWas) {
    auto r = spawn({HOOKMATRIX_BINARY, "run", "--hooks", "tc-egress", "--devices", "veth",
                    "--object", kHello, "--trace", "--packets", "5", "-o", dir_.string()},
                   std::chrono::minutes(1));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
    EXPECT_EQ(value(), "0");
}

} // namespace
} // namespace hm::test
