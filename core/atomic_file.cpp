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

Status write_file_atomically(const std::string& path, std::string_view content) {
    std::string tmp = path + ".tmp.XXXXXX";
    UniqueFd fd(::mkstemp(tmp.data()));
    if (!fd.valid())
        return fail("create a temporary file beside " + path, errno);
    InFlight in_flight(tmp);
    auto cleanup = [&] { ::unlink(tmp.c_str()); };
    for (std::size_t off = 0; off < content.size();) {
        ssize_t n = ::write(fd.get(), content.data() + off, content.size() - off);
        if (n < 0) {
            int e = errno;
            cleanup();
            return fail("write " + tmp, e);
        }
        off += static_cast<std::size_t>(n);
    }
    ::fchmod(fd.get(), 0644);
    if (::fsync(fd.get()) != 0 || ::close(fd.release()) != 0) {
        int e = errno;
        cleanup();
        return fail("flush " + tmp, e);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        cleanup();
        return fail("rename " + tmp + " to " + path, e);
    }
    return {};
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
