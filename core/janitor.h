#pragma once
// Some host state hookmatrix changes is never put back by the kernel: a cgroup or a tracing
// instance (directories), the bpf_trace_printk event's switch. For each, a Janitor: a small
// process forked before the change, in a session of its own, holding nothing but the read end of
// a pipe (and at most one descriptor its chore needs). When the pipe reaches EOF (the owner
// finished, or died, even by SIGKILL or a kill of its process group) it does its chore and exits.
// Owners may undo their change themselves on the normal path; the janitor is the fallback.
#include "core/error.h"
#include "core/unique_fd.h"

#include <sys/types.h>

#include <functional>
#include <string>

namespace hm {

class Janitor {
public:
    Janitor() = default;
    // Call before making `dir`: once this returns, the directory is never unwatched.
    // `attempts`: how often (10 ms apart) the janitor retries an rmdir the kernel calls busy.
    static Result<Janitor> watch(std::string dir, int attempts = 100);
    // The same for a directory with files in it (a guest's scratch directory): removed whole.
    static Result<Janitor> watch_tree(std::string dir);
    // Any other chore. It runs in the forked child, where the parent's other threads may have
    // left locks held: async-signal-safe calls only, no allocation. `keep_fd` (if not -1) stays
    // open in the janitor, as descriptor 1, until it exits; `what` names it in errors.
    using Chore = std::function<void()>;
    static Result<Janitor> start(const std::string& what, Chore chore, int keep_fd = -1);

    Janitor(Janitor&& o) noexcept;
    Janitor& operator=(Janitor&& o) noexcept;
    ~Janitor() { reset(); }
    // Tells the janitor to remove what is left and waits for it to exit.
    void reset() noexcept;

private:
    Janitor(UniqueFd pipe, pid_t pid) : pipe_(std::move(pipe)), pid_(pid) {}
    UniqueFd pipe_; // the write end; closing it is the signal
    pid_t pid_ = -1;
};

// rmdir, patient with EBUSY (10 ms between attempts); true when the directory is gone.
bool remove_dir(const char* path, int attempts);
// waitpid, through EINTR; the exit status.
int wait_child(pid_t pid);
// nanosleep, through EINTR; async-signal-safe.
void sleep_ms(long ms);

} // namespace hm
