#include "core/cgroup.h"

#include "core/janitor.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace hm {

namespace {
// mountinfo escapes space, tab, newline and backslash in paths as \ooo.
std::string unescape_mountinfo(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 4 <= s.size()) {
            const std::string oct = s.substr(i + 1, 3);
            if (oct.find_first_not_of("01234567") == std::string::npos) {
                out += static_cast<char>(std::stoi(oct, nullptr, 8));
                i += 3;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

std::string fd_path(int fd) {
    char buf[4096];
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n))
                 : "cgroup fd " + std::to_string(fd);
}

struct ChildReply {
    int step = 0; // 0 ok, 1 join the cgroup, 2 enter the namespace, 3 create the socket
    int err = 0;
};

[[noreturn]] void socket_child_main(int chan, int procs, int netns, int domain, int type,
                                    int proto) {
    ChildReply r;
    int fd = -1;
    if (::write(procs, "0", 1) != 1) // "0": the writing process itself
        r = {1, errno};
    else if (::setns(netns, CLONE_NEWNET) != 0)
        r = {2, errno};
    else if ((fd = ::socket(domain, type | SOCK_CLOEXEC, proto)) < 0)
        r = {3, errno};
    iovec iov{&r, sizeof r};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (fd >= 0) {
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr* cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(cm), &fd, sizeof fd);
    }
    ::sendmsg(chan, &msg, MSG_NOSIGNAL);
    ::_exit(0);
}

} // namespace

Result<std::string> cgroup2_mount() {
    std::ifstream f("/proc/self/mountinfo");
    if (!f)
        return fail("read /proc/self/mountinfo", errno);
    // id parent major:minor root mount-point options [optional fields...] - fstype source ...
    std::string line;
    while (std::getline(f, line)) {
        std::istringstream in(line);
        std::vector<std::string> fields;
        for (std::string w; in >> w;)
            fields.push_back(w);
        if (fields.size() < 9) // six fixed fields, "-", fstype, source
            continue;
        auto dash = std::find(fields.begin() + 6, fields.end(), "-");
        if (dash == fields.end() || dash + 1 == fields.end())
            continue;
        if (dash[1] == "cgroup2")
            return unescape_mountinfo(fields[4]);
    }
    return unsupported(
        "find the cgroup v2 hierarchy: no cgroup2 file system in /proc/self/mountinfo", EOPNOTSUPP,
        "mount one, e.g. mount -t cgroup2 none /sys/fs/cgroup");
}

Result<Cgroup> Cgroup::create() {
    auto mount = cgroup2_mount();
    if (!mount)
        return std::unexpected(mount.error());
    static std::atomic<unsigned> counter{0};
    std::string path =
        *mount + "/hookmatrix-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);

    // The janitor comes first, so there is no moment at which the directory exists unwatched.
    auto janitor = Janitor::watch(path, 1000); // up to ~10 s for a child still leaving it
    if (!janitor)
        return std::unexpected(janitor.error());
    if (::mkdir(path.c_str(), 0755) != 0)
        return fail("create cgroup " + path, errno);
    UniqueFd dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir.valid()) {
        const int err = errno;
        ::rmdir(path.c_str());
        return fail("open cgroup " + path, err);
    }
    return Cgroup(std::move(path), std::move(dir), std::move(*janitor));
}

Cgroup::Cgroup(Cgroup&& o) noexcept
    : path_(std::exchange(o.path_, {})), dir_(std::move(o.dir_)), janitor_(std::move(o.janitor_)) {}

Cgroup& Cgroup::operator=(Cgroup&& o) noexcept {
    if (this != &o) {
        release();
        path_ = std::exchange(o.path_, {});
        dir_ = std::move(o.dir_);
        janitor_ = std::move(o.janitor_);
    }
    return *this;
}

Cgroup::~Cgroup() {
    release();
}

void Cgroup::release() noexcept {
    if (path_.empty())
        return;
    dir_.reset();
    // The cgroup has no processes (children that joined it have exited), so it can go even while
    // sockets charged to it are still open: they keep the kernel's object, not the directory.
    remove_dir(path_.c_str(), 100);
    janitor_.reset(); // the janitor removes what is left, if anything, and exits
    path_.clear();
}

Result<UniqueFd> socket_in_cgroup(const Netns& ns, int cgroup_fd, int domain, int type, int proto) {
    const std::string where = "in cgroup " + fd_path(cgroup_fd) + " and ns " + ns.name();
    UniqueFd procs(::openat(cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC));
    if (!procs.valid())
        return fail("open cgroup.procs of " + fd_path(cgroup_fd), errno);
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return fail("create a socketpair to receive a socket made " + where, errno);
    UniqueFd mine(sv[0]), theirs(sv[1]);
    // fork and a write to cgroup.procs rather than clone3(CLONE_INTO_CGROUP): no raw clone3
    // under glibc, and it works on kernels before 5.7 too.
    const pid_t pid = ::fork();
    if (pid < 0)
        return fail("fork a child to create a socket " + where, errno);
    if (pid == 0)
        socket_child_main(theirs.get(), procs.get(), ns.fd(), domain, type, proto);
    theirs.reset(); // the child's copy is the only writer left: its exit means EOF

    ChildReply r{-1, 0};
    iovec iov{&r, sizeof r};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    while ((n = ::recvmsg(mine.get(), &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
    }
    const int recv_err = errno;
    UniqueFd sock;
    for (cmsghdr* cm = n > 0 ? CMSG_FIRSTHDR(&msg) : nullptr; cm; cm = CMSG_NXTHDR(&msg, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(cm), sizeof fd);
            sock.reset(fd);
        }
    wait_child(pid);
    if (n < 0)
        return fail("receive the socket made " + where, recv_err);
    if (n != static_cast<ssize_t>(sizeof r))
        return fail("receive the socket made " + where + ": the child ended without answering",
                    EPROTO);
    switch (r.step) {
    case 0: break;
    case 1: return fail("move a child process into cgroup " + fd_path(cgroup_fd), r.err);
    case 2: return fail("enter network namespace " + ns.name(), r.err);
    default: return fail("create a socket " + where, r.err);
    }
    if (!sock.valid())
        return fail("receive the socket made " + where + ": no descriptor came", EPROTO);
    return sock;
}

} // namespace hm
