#include "core/cpio_writer.h"

#include "core/atomic_file.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <utility>

namespace hm {

Result<CpioWriter> CpioWriter::create(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "wbe");
    if (!f)
        return fail("create " + path, errno);
    return CpioWriter(f, path);
}

CpioWriter::CpioWriter(CpioWriter&& o) noexcept
    : f_(std::exchange(o.f_, nullptr)), path_(std::move(o.path_)), names_(std::move(o.names_)),
      ino_(o.ino_) {}

CpioWriter::~CpioWriter() {
    if (f_)
        std::fclose(f_);
}

Status CpioWriter::entry(std::string_view path, unsigned mode, std::string_view data) {
    if (!f_)
        return fail("write " + path_ + ": already finished");
    const std::string name(path);
    // newc: a 110-byte ASCII header, the name with its NUL, then the data, each padded to 4.
    std::string out = fmt::format("070701{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}"
                                  "{:08X}{:08X}{:08X}{:08X}",
                                  ino_++, mode, 0, 0, (mode & S_IFMT) == S_IFDIR ? 2 : 1, 0,
                                  data.size(), 0, 0, 0, 0, name.size() + 1, 0);
    out += name;
    out.push_back('\0');
    out.append((4 - out.size() % 4) % 4, '\0');
    out += data;
    out.append((4 - data.size() % 4) % 4, '\0');
    if (std::fwrite(out.data(), 1, out.size(), f_) != out.size())
        return fail("write " + path_, errno);
    names_.insert(name);
    return {};
}

Status CpioWriter::parents(std::string_view path) {
    for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
         slash = path.find('/', slash + 1)) {
        const std::string_view dir = path.substr(0, slash);
        if (!dir.empty() && !contains(dir))
            if (auto s = entry(dir, S_IFDIR | 0755, {}); !s)
                return s;
    }
    return {};
}

Status CpioWriter::add_dir(std::string_view path, unsigned mode) {
    if (contains(path))
        return {};
    if (auto s = parents(path); !s)
        return s;
    return entry(path, S_IFDIR | mode, {});
}

Status CpioWriter::add_file(std::string_view path, std::string_view bytes, unsigned mode) {
    if (auto s = parents(path); !s)
        return s;
    return entry(path, S_IFREG | mode, bytes);
}

Status CpioWriter::add_host_file(std::string_view path, const std::string& host_path,
                                 unsigned mode) {
    auto bytes = read_file(host_path);
    if (!bytes)
        return std::unexpected(bytes.error());
    return add_file(path, *bytes, mode);
}

Status CpioWriter::add_symlink(std::string_view path, std::string_view target) {
    if (auto s = parents(path); !s)
        return s;
    return entry(path, S_IFLNK | 0777, target);
}

Status CpioWriter::finish() {
    if (auto s = entry("TRAILER!!!", 0, {}); !s)
        return s;
    const bool ok = std::fflush(f_) == 0;
    const int err = errno;
    std::fclose(std::exchange(f_, nullptr));
    if (!ok)
        return fail("write " + path_, err);
    return {};
}

} // namespace hm
