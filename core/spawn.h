#pragma once
// Running other programs (iptables, later ip/tc for comparisons): always an argv, never a shell,
// so user-supplied strings are never interpreted. The child inherits the calling thread's network
// namespace, which is how a tool is run "inside" a topology namespace: enter a NetnsScope, spawn.
#include "core/error.h"

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace hm {

struct SpawnResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs argv[0] (looked up in PATH when it has no '/') and waits for it. A non-zero exit is not an
// Error here; callers decide. Errors are: not found, cannot start, timed out (the child is killed).
Result<SpawnResult> spawn(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

struct SpawnOptions {
    std::chrono::milliseconds timeout = std::chrono::seconds(30);
    // The kernel kills the child (SIGKILL) when the thread that spawned it ends, however it ends,
    // so no iptables, apt, tar, qemu or make outlives a killed hookmatrix. spawn() waits for the
    // child on that thread, so this never cuts a child short; off only for a child meant to
    // outlive us.
    bool die_with_parent = true;
    std::string working_dir; // empty: ours
    // When set, the child's stdout and stderr are appended to this file instead of being
    // captured (SpawnResult::out and err stay empty): for long, talkative children such as a
    // kernel build, whose log is watched while it runs and kept when it fails.
    std::string output_file;
    // When it turns true (SIGINT, SIGTERM), the child is killed within 0.1 s and spawn fails with
    // EINTR: a long child (a guest) must not hold a stop back for minutes.
    const std::atomic<bool>* stop = nullptr;
};
Result<SpawnResult> spawn(const std::vector<std::string>& argv, const SpawnOptions& options);

// The same, but a non-zero exit becomes an Error whose detail is the child's stderr.
Result<SpawnResult> spawn_checked(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Full path of a program in PATH (and the sbin directories root's PATH sometimes lacks).
Result<std::string> find_program(const std::string& name);

} // namespace hm
