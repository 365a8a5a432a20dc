#pragma once
// tracefs, where hookmatrix needs it: found in /proc/self/mountinfo, or mounted in hookmatrix's
// private mount namespace (core/mount_ns.h) so the host's mounts never change.
#include "core/error.h"

#include <string>

namespace hm {

Result<std::string> tracefs_dir();

} // namespace hm
