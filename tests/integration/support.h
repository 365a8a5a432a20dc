#pragma once
// What every integration test needs: the prerequisites rule (with CI=true a missing prerequisite
// fails, never skips) and a snapshot of what the host's root namespace holds, to prove that a
// test left it exactly as found.
#include "core/spawn.h"

#include <gtest/gtest.h>

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace hm::test {

bool in_ci();
// Empty when the machine can run integration tests; otherwise what is missing.
std::string missing_prerequisite();

// Skips (outside CI) or fails (CI=true) the current test when `missing_what` (a string saying
// which prerequisite is missing) is not empty.
#define HM_REQUIRE(missing_what)                                                                   \
    do {                                                                                           \
        if (std::string missing = (missing_what); !missing.empty()) {                              \
            if (::hm::test::in_ci())                                                               \
                FAIL() << "CI=true and a prerequisite is missing: " << missing;                    \
            else                                                                                   \
                GTEST_SKIP() << "prerequisite missing: " << missing;                               \
        }                                                                                          \
    } while (0)

// HM_REQUIRE of what every integration test needs (missing_prerequisite()).
#define HM_REQUIRE_PREREQUISITES() HM_REQUIRE(::hm::test::missing_prerequisite())

// HM_REQUIRE of a program on PATH.
#define HM_REQUIRE_PROGRAM(name)                                                                   \
    HM_REQUIRE(::hm::find_program(name) ? std::string() : std::string(name))

struct HostState {
    std::string netns;             // ip netns list
    std::string links;             // ip -o link show, of the root namespace
    std::string iptables;          // iptables-save, minus comments and counters
    std::set<unsigned> programs;   // bpftool prog list ids
    std::string host_bpffs;        // the host's /sys/fs/bpf, seen through /proc/1/root
    std::string printk_event;      // top-level bpf_trace/bpf_trace_printk/enable ("0", "1", or "")
    std::string trace_instances;   // tracefs instances/ (a --trace run makes one)
    std::set<std::string> cgroups; // directories right under the cgroup2 mount (a cell makes one)
    std::set<std::string> guests;  // qemu processes and hookmatrix-guest-* scratch directories

    static HostState capture();
    bool operator==(const HostState&) const = default;
    std::string diff(const HostState& other) const;
};

// The ids of the BPF programs loaded on the host (bpftool prog list).
std::set<unsigned> loaded_programs();
// Until a program not in `before` is loaded (a run is inside its cell), or `deadline`: true if one
// was. Only the program list is read, not the whole HostState.
bool wait_for_new_program(const std::set<unsigned>& before,
                          std::chrono::steady_clock::time_point deadline);

// Namespaces die asynchronously in the kernel (cleanup_net), and their programs with them: wait
// up to `patience` for the host to return to `before`.
::testing::AssertionResult
host_returns_to(const HostState& before, std::chrono::seconds patience = std::chrono::seconds(60));

// Starts the hookmatrix binary with `args` in the background, its stdout into `stdout_path`
// (for tests that kill it halfway); returns its pid, or -1.
pid_t start_hookmatrix(const std::vector<std::string>& args, const std::string& stdout_path);

// Every test in a fixture derived from this checks the host before and after.
class LeavesHostUnchanged : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;
    HostState before_;
};

// The same, with a temporary directory for a run's output, removed afterwards.
class LeavesHostUnchangedWithTempDir : public LeavesHostUnchanged {
protected:
    void SetUp() override;
    void TearDown() override;
    std::filesystem::path dir_;
};

// The hookmatrix under test with `args`, three minutes at most; a failure to spawn fails the test.
SpawnResult hookmatrix(const std::vector<std::string>& args);

} // namespace hm::test
