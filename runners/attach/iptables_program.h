#pragma once
// Which iptables the xt_bpf attacher runs. hookmatrix runs as root, so $HOOKMATRIX_IPTABLES (a
// different iptables for a test or an old distribution) must name a program only root could have
// put there: an absolute path whose name starts with "iptables" (iptables, iptables-legacy,
// iptables-nft: the multi-call xtables binaries pick their flavour by that name), a regular
// executable file owned by root and writable by nobody else, reached through directories (and
// links) that are likewise root's alone.
#include "core/error.h"

#include <string>
#include <vector>

namespace hm {

inline constexpr const char* kIptablesVariable = "HOOKMATRIX_IPTABLES";

// Why `path` may not be run as iptables, or nothing.
Status check_iptables_program(const std::string& path);

// The iptables programs to try, in order: $HOOKMATRIX_IPTABLES alone when set (and checked),
// else iptables and, when installed, iptables-legacy.
Result<std::vector<std::string>> iptables_programs();

} // namespace hm
