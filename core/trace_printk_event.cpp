#include "core/trace_printk_event.h"

#include "core/monotonic_clock.h"
#include "core/tracefs.h"
#include "core/unique_fd.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>

namespace hm {

namespace {
// Abstract socket names (no file anywhere). A member's is the prefix, the saved value ('0' or
// '1'), '/', then a name unique to the member.
constexpr char kMemberPrefix[] = "hookmatrix-printk-event/";
constexpr char kLockName[] = "hookmatrix-printk-event.lock";

// Everything below runs in janitors too: async-signal-safe calls only, no allocation.

int bind_abstract(const char* name) {
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const size_t len = std::strlen(name);
    std::memcpy(addr.sun_path + 1, name, len); // sun_path[0] == 0: abstract
    const auto addr_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + len);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), addr_len) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// The lock: held while the name is bound. Waits up to ~5 s for another holder (which holds it
// for microseconds), then goes on without it rather than never restoring.
int take_lock() {
    for (int i = 0; i < 500; ++i) {
        const int fd = bind_abstract(kLockName);
        if (fd >= 0 || errno != EADDRINUSE)
            return fd;
        sleep_ms(10);
    }
    return -1;
}

// The saved value of a member other than the one named `self` (nullptr: any), or 0 when there
// is none. /proc/net/unix lists abstract names as "@NAME" at the end of each line.
char other_member(const char* self) {
    const int fd = ::open("/proc/net/unix", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    const size_t prefix_len = sizeof(kMemberPrefix) - 1;
    char buf[8192];
    size_t have = 0;
    char found = 0;
    for (;;) {
        const ssize_t n = ::read(fd, buf + have, sizeof(buf) - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        have += static_cast<size_t>(n);
        size_t start = 0;
        for (size_t i = 0; i < have; ++i) {
            if (buf[i] != '\n')
                continue;
            const char* line = buf + start;
            const size_t line_len = i - start;
            start = i + 1;
            const char* at = static_cast<const char*>(::memchr(line, '@', line_len));
            if (!at)
                continue;
            const char* name = at + 1;
            const size_t name_len = static_cast<size_t>(line + line_len - name);
            if (name_len <= prefix_len || std::memcmp(name, kMemberPrefix, prefix_len) != 0)
                continue;
            if (self && std::strlen(self) == name_len && std::memcmp(name, self, name_len) == 0)
                continue;
            found = name[prefix_len];
        }
        // Keep the unfinished last line; a line longer than the buffer cannot be a member's.
        std::memmove(buf, buf + start, have - start);
        have -= start;
        if (have == sizeof(buf))
            have = 0;
        if (found)
            break;
    }
    ::close(fd);
    return found == '0' || found == '1' ? found : 0;
}

char read_switch(const char* path) {
    char v = 0;
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (::read(fd, &v, 1) != 1)
            v = 0;
        ::close(fd);
    }
    return v;
}

void write_switch(const char* path, char value) {
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        [[maybe_unused]] ssize_t n = ::write(fd, &value, 1);
        ::close(fd);
    }
}

// The kernel turns the switch on from a workqueue, some time after a program that calls
// bpf_trace_printk is verified (since Linux 6.14 and the stable kernels of early 2025): a switch
// put back right after a quick run was turned on again behind it, 10 ms later on a busy machine.
// So it is put back, then watched until it has stayed off for kSettleMs, and put back again each
// time that late work turns it on (restore_printk_switch).
constexpr int kSettleMs = 250;
constexpr int kPollMs = 5;

std::string member_name(char saved) {
    static std::atomic<unsigned> serial{0};
    return std::string(kMemberPrefix) + saved + "/" + std::to_string(::getpid()) + "-" +
           std::to_string(serial++);
}
} // namespace

void restore_printk_switch(const char* path, char saved, int settle_ms, int give_up_ms) {
    write_switch(path, saved);
    if (saved != '0')
        return; // the kernel only ever turns it on
    // The bound is the clock's: on a busy machine a poll's sleep can last many times kPollMs.
    const std::uint64_t until = monotonic_ns() + std::uint64_t(give_up_ms) * 1'000'000;
    for (int quiet = 0; quiet < settle_ms && monotonic_ns() < until;) {
        sleep_ms(kPollMs);
        quiet += kPollMs;
        if (read_switch(path) != saved) {
            write_switch(path, saved);
            quiet = 0;
        }
    }
}

Result<TracePrintkEventState> TracePrintkEventState::save() {
    // Every failure says what it stops: putting the switch back.
    const auto cannot = [](Error e) {
        e.what = "keep the host's bpf_trace_printk event switch to put it back (" + e.what + ")";
        return std::unexpected(std::move(e));
    };
    auto dir = tracefs_dir();
    if (!dir)
        return cannot(dir.error());
    std::string path = *dir + "/events/bpf_trace/bpf_trace_printk/enable";
    UniqueFd lock(take_lock());
    char saved = 0;
    std::ifstream in(path);
    if (!(in >> saved))
        return TracePrintkEventState(Janitor()); // older kernels: no such event
    // Another hookmatrix run that is still going knows the value from before any of them.
    if (char theirs = other_member(nullptr))
        saved = theirs;
    std::string self = member_name(saved);
    UniqueFd member(bind_abstract(self.c_str()));
    if (member.get() < 0)
        return cannot(fail("bind the abstract socket @" + self, errno).error());
    auto janitor = Janitor::start(
        path,
        [path, self, saved] {
            UniqueFd lock(take_lock());
            if (other_member(self.c_str()))
                return; // the last one to finish restores
            restore_printk_switch(path.c_str(), saved, kSettleMs);
        },
        member.get());
    if (!janitor)
        return cannot(janitor.error());
    return TracePrintkEventState(std::move(*janitor));
}

} // namespace hm
