#include "core/atomic_file.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/unique_fd.h"

namespace hm {

Status write_file_atomically(const std::string& path, std::string_view content) {
    std::string tmp = path + ".tmp.XXXXXX";
    UniqueFd fd(::mkstemp(tmp.data()));
    if (!fd.valid())
        return fail("create a temporary file beside " + path, errno);
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

Result<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("read " + path, errno);
    std::string text{std::istreambuf_iterator<char>(in), {}};
    if (in.bad())
        return fail("read " + path, errno);
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
