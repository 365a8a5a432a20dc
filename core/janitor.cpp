#include "core/janitor.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <utility>

namespace hm {

void sleep_ms(long ms) {
    timespec ts{.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1'000'000};
    while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

namespace {
// Leaves `watch` as descriptor 0, `keep` (if any) as 1, and closes every other one. The
// inherited 1 and 2 too: a janitor holding the stdout pipe of whoever ran hookmatrix would keep
// them waiting for EOF.
void close_all_but(int watch, int keep) {
    // Out of the way of 0 and 1 first, so neither dup2 overwrites the other's source.
    watch = ::fcntl(watch, F_DUPFD, 3);
    if (keep >= 0)
        keep = ::fcntl(keep, F_DUPFD, 3);
    ::dup2(watch, 0);
    int first_closed = 1;
    if (keep >= 0) {
        ::dup2(keep, 1);
        first_closed = 2;
    }
    if (::close_range(first_closed, ~0u, 0) != 0)
        for (int fd = first_closed; fd < 65536; ++fd)
            ::close(fd);
}

// The janitor's whole life, in the forked child. The parent may have threads, so only
// async-signal-safe calls from here on.
[[noreturn]] void janitor_main(int watch_rd, int keep_fd, const Janitor::Chore& chore) {
    // Out of the parent's session and process group: a kill of that group, or a hang-up of its
    // terminal, does not reach the janitor; SIGKILL of the parent is exactly what it is for.
    ::setsid();
    if (::chdir("/") != 0) {
        // Nothing to do: the janitor works with an absolute path only.
    }
    // This closes the write end of the parent's "ready" pipe too: the parent waits for that EOF,
    // so the directory is made only once the janitor is out of reach of a group kill.
    close_all_but(watch_rd, keep_fd);
    char c;
    for (;;) {
        ssize_t n = ::read(0, &c, 1);
        if (n == 0 || (n < 0 && errno != EINTR))
            break;
    }
    chore();
    ::_exit(0);
}

} // namespace

bool remove_dir(const char* path, int attempts) {
    for (int i = 0; i < attempts; ++i) {
        if (::rmdir(path) == 0 || errno == ENOENT)
            return true;
        if (errno != EBUSY && errno != EINTR)
            return false;
        sleep_ms(10);
    }
    return false;
}

int wait_child(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

Result<Janitor> Janitor::watch(std::string dir, int attempts) {
    return start(dir, [dir, attempts] { remove_dir(dir.c_str(), attempts); });
}

Result<Janitor> Janitor::watch_tree(std::string dir) {
    return start(dir, [dir] {
        // A directory with contents: rm is exec'd, as nothing else here may allocate.
        ::execl("/bin/rm", "rm", "-rf", "--", dir.c_str(), static_cast<char*>(nullptr));
    });
}

Result<Janitor> Janitor::start(const std::string& what, Chore chore, int keep_fd) {
    int watch[2], ready[2];
    if (::pipe2(watch, O_CLOEXEC) != 0)
        return fail("create the pipe for the janitor of " + what, errno);
    UniqueFd watch_rd(watch[0]), watch_wr(watch[1]);
    if (::pipe2(ready, O_CLOEXEC) != 0)
        return fail("create the pipe for the janitor of " + what, errno);
    UniqueFd ready_rd(ready[0]), ready_wr(ready[1]);
    const pid_t pid = ::fork();
    if (pid < 0)
        return fail("fork the janitor of " + what, errno);
    if (pid == 0)
        janitor_main(watch_rd.get(), keep_fd, chore);
    watch_rd.reset();
    ready_wr.reset();
    // EOF once the janitor has left our session and closed what it inherited.
    char c;
    while (::read(ready_rd.get(), &c, 1) < 0 && errno == EINTR) {
    }
    return Janitor(std::move(watch_wr), pid);
}

Janitor::Janitor(Janitor&& o) noexcept
    : pipe_(std::move(o.pipe_)), pid_(std::exchange(o.pid_, -1)) {}

Janitor& Janitor::operator=(Janitor&& o) noexcept {
    if (this != &o) {
        reset();
        pipe_ = std::move(o.pipe_);
        pid_ = std::exchange(o.pid_, -1);
    }
    return *this;
}

void Janitor::reset() noexcept {
    pipe_.reset(); // EOF: the janitor removes what is left, if anything, and exits
    if (pid_ > 0)
        wait_child(pid_);
    pid_ = -1;
}

} // namespace hm
