#pragma once
// Writes a cpio archive in the "newc" format the kernel unpacks as an initramfs. Only what an
// initramfs needs: directories, regular files, symlinks; owner root, mtime 0, so that the same
// inputs give the same bytes.
#include "core/error.h"

#include <cstdio>
#include <set>
#include <string>
#include <string_view>

namespace hm {

class CpioWriter {
public:
    static Result<CpioWriter> create(const std::string& path);
    CpioWriter(CpioWriter&&) noexcept;
    CpioWriter& operator=(CpioWriter&&) = delete;
    ~CpioWriter();

    // Paths inside the archive are relative ("bin/busybox"); parent directories are added as
    // needed, once each.
    Status add_dir(std::string_view path, unsigned mode = 0755);
    Status add_file(std::string_view path, std::string_view bytes, unsigned mode = 0644);
    Status add_host_file(std::string_view path, const std::string& host_path, unsigned mode);
    Status add_symlink(std::string_view path, std::string_view target);
    bool contains(std::string_view path) const { return names_.contains(std::string(path)); }
    // Writes the trailer and closes the file.
    Status finish();

private:
    CpioWriter(std::FILE* f, std::string path) : f_(f), path_(std::move(path)) {}
    Status parents(std::string_view path);
    Status entry(std::string_view path, unsigned mode, std::string_view data);

    std::FILE* f_ = nullptr;
    std::string path_;
    std::set<std::string> names_;
    unsigned ino_ = 1;
};

} // namespace hm
