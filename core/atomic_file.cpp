#include "core/atomic_file.h"

#include <fmt/format.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/unique_fd.h"

namespace hm {

namespace {
// The temporaries being written, where a signal handler can find them: fixed slots, no
// allocation, a state that says when a slot's path is whole (0 free, 1 being filled, 2 ready).
struct TempSlot {
    std::atomic<int> state{0};
    char path[4096];
};
TempSlot temp_slots[8];

// Holds a slot for one temporary while it exists (none when all are taken or the path is too
// long: then only a signal's cleanup misses it).
class InFlight {
public:
    explicit InFlight(const std::string& tmp) {
        for (TempSlot& s : temp_slots) {
            int expected = 0;
            if (tmp.size() >= sizeof s.path || !s.state.compare_exchange_strong(expected, 1))
                continue;
            std::memcpy(s.path, tmp.c_str(), tmp.size() + 1);
            s.state.store(2);
            slot_ = &s;
            return;
        }
    }
    ~InFlight() {
        if (slot_)
            slot_->state.store(0);
    }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

private:
    TempSlot* slot_ = nullptr;
};
} // namespace

void remove_temporaries_now() noexcept {
    for (TempSlot& s : temp_slots)
        if (s.state.load() == 2)
            ::unlink(s.path);
}

namespace {
Status write_all(int fd, std::string_view content, const std::string& what) {
    for (std::size_t off = 0; off < content.size();) {
        const ssize_t n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail("write " + what, errno);
        off += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0)
        return fail("flush " + what, errno);
    return {};
}

// Names `fd`, an O_TMPFILE, as `path` (replacing what is there). The file has no name until
// the last moment: a SIGKILL while it is written leaves nothing, the kernel frees it. It gets a
// temporary name only for the instant between linkat(2) and rename(2).
Status name_tmpfile(int fd, const std::string& path) {
    const std::string proc = fmt::format("/proc/self/fd/{}", fd);
    static std::atomic<unsigned> counter{0};
    for (int attempt = 0; attempt < 100; ++attempt) {
        const std::string tmp = fmt::format("{}.tmp.{}.{}", path, ::getpid(), counter++);
        // AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH (root has it); /proc/self/fd needs /proc.
        const bool linked =
            ::linkat(fd, "", AT_FDCWD, tmp.c_str(), AT_EMPTY_PATH) == 0 ||
            (errno != EEXIST &&
             ::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) == 0);
        if (!linked) {
            if (errno == EEXIST)
                continue;
            return fail("link a temporary file as " + tmp, errno);
        }
        InFlight in_flight(tmp);
        if (::rename(tmp.c_str(), path.c_str()) != 0) {
            const int e = errno;
            ::unlink(tmp.c_str());
            return fail("rename " + tmp + " to " + path, e);
        }
        return {};
    }
    return fail("link a temporary file beside " + path + ": every name taken");
}

// Where O_TMPFILE is not supported (some file systems): a named temporary, then rename(2).
Status write_through_named_temporary(const std::string& path, std::string_view content) {
    std::string tmp = path + ".tmp.XXXXXX";
    UniqueFd fd(::mkstemp(tmp.data()));
    if (!fd.valid())
        return fail("create a temporary file beside " + path, errno);
    InFlight in_flight(tmp);
    auto written = write_all(fd.get(), content, tmp);
    if (written && ::close(fd.release()) != 0)
        written = fail("flush " + tmp, errno);
    if (written && ::rename(tmp.c_str(), path.c_str()) != 0)
        written = fail("rename " + tmp + " to " + path, errno);
    if (!written)
        ::unlink(tmp.c_str());
    return written;
}
} // namespace

Status write_file_atomically(const std::string& path, std::string_view content) {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    const std::string dir = parent.empty() ? "." : parent.string();
    UniqueFd fd(::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644));
    if (!fd.valid()) {
        if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)
            return write_through_named_temporary(path, content);
        return fail("create a temporary file in " + dir + " for " + path, errno);
    }
    if (auto w = write_all(fd.get(), content, "a temporary file for " + path); !w)
        return w;
    return name_tmpfile(fd.get(), path);
}

Result<std::string> read_file(const std::string& path, std::size_t max_bytes) {
    // O_NONBLOCK: opening a FIFO with no writer must not wait for one.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (!fd.valid())
        return fail("read " + path, errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        return fail("read " + path, errno);
    if (!S_ISREG(st.st_mode))
        return fail("read " + path + ": not a regular file (" +
                        (S_ISDIR(st.st_mode)    ? "a directory"
                         : S_ISFIFO(st.st_mode) ? "a FIFO"
                         : S_ISCHR(st.st_mode)  ? "a character device"
                                                : "not a file") +
                        ")");
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
        return fail(fmt::format("read {}: {} bytes, more than the {} MiB an input may have", path,
                                st.st_size, max_bytes >> 20));
    std::string text;
    text.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < text.size()) {
        const ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail("read " + path, errno);
        if (n == 0)
            break; // shrank while read
        got += static_cast<std::size_t>(n);
    }
    text.resize(got);
    return text;
}

Status make_output_dir(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return fail("cannot create output directory " + dir + ": " + ec.message());
    return {};
}

} // namespace hm
