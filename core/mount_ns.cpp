#include "core/mount_ns.h"

#include <sched.h>
#include <sys/mount.h>

namespace hm {

namespace {
std::string& bpffs_path() {
    static std::string path;
    return path;
}
} // namespace

Status enter_private_mounts() {
    if (!bpffs_path().empty())
        return {};
    if (::unshare(CLONE_NEWNS) != 0)
        return fail("create a private mount namespace", errno,
                    "hookmatrix needs root (CAP_SYS_ADMIN)");
    // Without this, mounts below would propagate back to the host's shared mounts.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return fail("make / private in hookmatrix's mount namespace", errno);
    // /sys/fs/bpf exists wherever the kernel has BPF; a new bpffs instance over it is ours alone
    // and hides (only from us) whatever the host pinned there.
    const char* dir = "/sys/fs/bpf";
    if (::mount("bpf", dir, "bpf", 0, "mode=0700") != 0)
        return fail(std::string("mount a private bpffs on ") + dir, errno);
    bpffs_path() = dir;
    return {};
}

const std::string& private_bpffs() {
    return bpffs_path();
}

} // namespace hm
