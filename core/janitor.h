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

struct TempTree;

class Janitor {
public:
    Janitor() = default;
    // Call before making `dir`: once this returns, the directory is never unwatched.
    // `attempts`: how often (10 ms apart) the janitor retries an rmdir the kernel calls busy.
    static Result<Janitor> watch(std::string dir, int attempts = 100);
    // The same for a directory with files in it (a kernel build's partial directory, in a cache
    // of hookmatrix's own, under its lock): removed whole.
    static Result<Janitor> watch_tree(std::string dir);
    // A scratch directory of this process's own: "<prefix>XXXXXX", made with mkdtemp by the
    // janitor itself (so even a SIGKILL right after leaves nothing), and later removed by it: only
    // that directory (the same device and inode, looked up without following a link), emptied
    // through descriptors without following any link or leaving its file system. The name cannot
    // be guessed, and a directory someone else made or put in its place is never touched.
    static Result<TempTree> make_temp_tree(const std::string& prefix);
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
    // `prepare` runs in the janitor as soon as it is out of our session, before it waits.
    static Result<Janitor> start(const std::string& what, Chore prepare, Chore chore, int keep_fd);
    Janitor(UniqueFd pipe, pid_t pid) : pipe_(std::move(pipe)), pid_(pid) {}
    UniqueFd pipe_; // the write end; closing it is the signal
    pid_t pid_ = -1;
};

struct TempTree {
    std::string path;
    Janitor janitor; // removes `path` when reset or destroyed
};

// Removes everything in the directory open as `dirfd` (not the directory itself), never
// following a link, not into another file system, at most `depth` levels down.
// Async-signal-safe. True when it is empty.
bool empty_dir(int dirfd, int depth = 16);

// rmdir, patient with EBUSY (10 ms between attempts); true when the directory is gone.
bool remove_dir(const char* path, int attempts);
// waitpid, through EINTR; the exit status.
int wait_child(pid_t pid);
// nanosleep, through EINTR; async-signal-safe.
void sleep_ms(long ms);

} // namespace hm
