#include "core/tracefs.h"

#include "core/mount_ns.h"

#include <sys/mount.h>

#include <fstream>
#include <optional>
#include <sstream>

namespace hm {

namespace {
constexpr const char* kDefaultDir = "/sys/kernel/tracing";

std::optional<std::string> mounted_tracefs() {
    // mountinfo: "... MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS"
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line)) {
        auto dash = line.find(" - ");
        if (dash == std::string::npos)
            continue;
        std::istringstream tail(line.substr(dash + 3));
        std::string fstype;
        tail >> fstype;
        if (fstype != "tracefs")
            continue;
        std::istringstream head(line.substr(0, dash));
        std::string field, mountpoint;
        for (int i = 0; i < 5 && head >> field; ++i)
            if (i == 4)
                mountpoint = field;
        return mountpoint;
    }
    return std::nullopt;
}
} // namespace

Result<std::string> tracefs_dir() {
    if (auto dir = mounted_tracefs())
        return *dir;
    if (private_bpffs().empty())
        return fail("find tracefs", ENOENT,
                    "tracefs is not mounted and hookmatrix has no private mount namespace to "
                    "mount it in");
    if (::mount("tracefs", kDefaultDir, "tracefs", 0, nullptr) != 0)
        return fail(std::string("mount tracefs on ") + kDefaultDir + " (privately)", errno);
    return std::string(kDefaultDir);
}

} // namespace hm
