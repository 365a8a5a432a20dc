#include "core/janitor.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <memory>
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
[[noreturn]] void janitor_main(int watch_rd, int keep_fd, const Janitor::Chore& prepare,
                               const Janitor::Chore& chore) {
    // Out of the parent's session and process group: a kill of that group, or a hang-up of its
    // terminal, does not reach the janitor; SIGKILL of the parent is exactly what it is for.
    ::setsid();
    if (::chdir("/") != 0) {
        // Nothing to do: the janitor works with an absolute path only.
    }
    // This closes the write end of the parent's "ready" pipe too: the parent waits for that EOF,
    // so the directory is made only once the janitor is out of reach of a group kill.
    close_all_but(watch_rd, keep_fd);
    if (prepare)
        prepare();
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

bool empty_dir(int dirfd, int depth) {
    struct stat self {};
    if (::fstat(dirfd, &self) != 0)
        return false;
    // Entries removed while reading may shift the rest: read again until a pass removes nothing.
    for (int pass = 0; pass < 64; ++pass) {
        if (::lseek(dirfd, 0, SEEK_SET) != 0)
            return false;
        bool removed = false, left = false;
        alignas(dirent64) char buf[4096];
        for (ssize_t n; (n = ::getdents64(dirfd, buf, sizeof buf)) > 0;) {
            for (ssize_t off = 0; off < n;) {
                const auto* d = reinterpret_cast<const dirent64*>(buf + off);
                off += d->d_reclen;
                const char* name = d->d_name;
                if (!std::strcmp(name, ".") || !std::strcmp(name, ".."))
                    continue;
                // A link, even to a directory, is removed as itself; EISDIR: a directory.
                if (::unlinkat(dirfd, name, 0) == 0) {
                    removed = true;
                    continue;
                }
                left = true;
                if (errno != EISDIR || depth == 0)
                    continue;
                const int sub =
                    ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                struct stat st {};
                if (sub < 0)
                    continue;
                if (::fstat(sub, &st) == 0 && st.st_dev == self.st_dev)
                    empty_dir(sub, depth - 1);
                ::close(sub);
                if (::unlinkat(dirfd, name, AT_REMOVEDIR) == 0)
                    removed = true;
            }
        }
        if (!left)
            return true;
        if (!removed)
            return false;
    }
    return false;
}

Result<TempTree> Janitor::make_temp_tree(const std::string& prefix) {
    // Shared by the janitor's two chores in its own copy of this memory: set up here, before the
    // fork, as the janitor may not allocate.
    struct Made {
        char path[PATH_MAX] = {};
        dev_t dev = 0;
        ino_t ino = 0;
        bool made = false;
    };
    const std::string pattern = prefix + "XXXXXX";
    if (pattern.size() >= PATH_MAX)
        return fail("make a scratch directory " + pattern, ENAMETOOLONG);
    auto made = std::make_unique<Made>();
    std::memcpy(made->path, pattern.c_str(), pattern.size() + 1);
    int reply[2];
    if (::pipe2(reply, O_CLOEXEC) != 0)
        return fail("create the pipe for the janitor of " + pattern, errno);
    UniqueFd reply_rd(reply[0]), reply_wr(reply[1]);
    Made* m = made.get();
    // In the janitor, with the reply pipe as descriptor 1: the path made, or nothing.
    auto make = [m] {
        struct stat st {};
        if (::mkdtemp(m->path) && ::lstat(m->path, &st) == 0) {
            m->dev = st.st_dev;
            m->ino = st.st_ino;
            m->made = true;
            const std::size_t len = std::strlen(m->path);
            for (std::size_t done = 0; done < len;) {
                const ssize_t n = ::write(1, m->path + done, len - done);
                if (n <= 0 && errno != EINTR)
                    break;
                done += n > 0 ? static_cast<std::size_t>(n) : 0;
            }
        }
        ::close(1);
    };
    auto remove = [m] {
        if (!m->made)
            return;
        const int fd = ::open(m->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            return;
        struct stat st {};
        const bool ours = ::fstat(fd, &st) == 0 && st.st_dev == m->dev && st.st_ino == m->ino;
        if (ours)
            empty_dir(fd);
        ::close(fd);
        // Checked again by name: rmdir follows no link and removes only an empty directory.
        if (ours && ::lstat(m->path, &st) == 0 && st.st_dev == m->dev && st.st_ino == m->ino)
            remove_dir(m->path, 100);
    };
    auto janitor = start(pattern, make, remove, reply_wr.get());
    if (!janitor)
        return std::unexpected(janitor.error());
    reply_wr.reset();
    std::string path;
    char buf[256];
    for (ssize_t n; (n = ::read(reply_rd.get(), buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        path.append(buf, static_cast<std::size_t>(n));
    }
    if (path.empty())
        return fail("make a scratch directory " + pattern, EIO,
                    "its janitor could not (is the directory writable?)");
    return TempTree{std::move(path), std::move(*janitor)};
}

Result<Janitor> Janitor::start(const std::string& what, Chore chore, int keep_fd) {
    return start(what, {}, std::move(chore), keep_fd);
}

Result<Janitor> Janitor::start(const std::string& what, Chore prepare, Chore chore, int keep_fd) {
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
        janitor_main(watch_rd.get(), keep_fd, prepare, chore);
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
