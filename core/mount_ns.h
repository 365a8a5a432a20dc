#pragma once
// hookmatrix runs in a private mount namespace of its own. The bpffs it pins programs in (for
// iptables' xt_bpf, which can only name a program by path) is mounted there, so the host's
// /sys/fs/bpf never changes and every pin vanishes with the namespace when the process ends,
// however it ends.
#include "core/error.h"

#include <string>

namespace hm {

// Call once at the start of main(), before any thread exists: unshare(CLONE_NEWNS) refuses a
// process whose threads share its filesystem context.
Status enter_private_mounts();

// Where a fresh, private bpffs is mounted (empty unless enter_private_mounts() succeeded).
const std::string& private_bpffs();

} // namespace hm
