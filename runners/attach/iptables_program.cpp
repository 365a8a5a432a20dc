#include "runners/attach/iptables_program.h"

#include "core/spawn.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>

namespace hm {

namespace {
namespace fs = std::filesystem;

// `dir` and every directory above it are root's and writable by no one else.
Status root_only_dirs(fs::path dir, const std::string& what) {
    for (;; dir = dir.parent_path()) {
        struct stat st {};
        if (::stat(dir.c_str(), &st) != 0)
            return fail(what + ": " + dir.string(), errno);
        if (st.st_uid != 0)
            return fail(what + ": its directory " + dir.string() + " is not owned by root");
        if (st.st_mode & (S_IWGRP | S_IWOTH))
            return fail(what + ": its directory " + dir.string() +
                        " is writable by group or others");
        if (dir == dir.root_path())
            return {};
    }
}
} // namespace

Status check_iptables_program(const std::string& path) {
    const std::string what = std::string(kIptablesVariable) + "=" + path;
    const fs::path p(path);
    if (!p.is_absolute())
        return fail(what + ": not an absolute path");
    if (!p.filename().string().starts_with("iptables"))
        return fail(what + ": not an iptables program (its name must start with \"iptables\")");
    // Each link on the way is read from a directory that must be root's alone, and so is the
    // directory of the file it ends at.
    fs::path at = p;
    for (int hops = 0;; ++hops) {
        if (auto ok = root_only_dirs(at.parent_path(), what); !ok)
            return ok;
        struct stat lst {};
        if (::lstat(at.c_str(), &lst) != 0)
            return fail(what, errno);
        if (!S_ISLNK(lst.st_mode))
            break;
        if (hops == 40)
            return fail(what, ELOOP);
        char target[PATH_MAX];
        const ssize_t n = ::readlink(at.c_str(), target, sizeof target - 1);
        if (n < 0)
            return fail(what, errno);
        const fs::path next(std::string(target, static_cast<std::size_t>(n)));
        at = (next.is_absolute() ? next : at.parent_path() / next).lexically_normal();
    }
    struct stat st {};
    if (::stat(at.c_str(), &st) != 0)
        return fail(what, errno);
    if (!S_ISREG(st.st_mode))
        return fail(what + ": not a regular file");
    if (!(st.st_mode & S_IXUSR))
        return fail(what + ": not executable");
    if (st.st_uid != 0)
        return fail(what + ": not owned by root");
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return fail(what + ": writable by group or others");
    return {};
}

Result<std::vector<std::string>> iptables_programs() {
    if (const char* p = std::getenv(kIptablesVariable)) {
        if (auto ok = check_iptables_program(p); !ok)
            return std::unexpected(ok.error());
        return std::vector<std::string>{p};
    }
    std::vector<std::string> programs{"iptables"};
    if (find_program("iptables-legacy"))
        programs.emplace_back("iptables-legacy");
    return programs;
}

} // namespace hm
