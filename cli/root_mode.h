#pragma once
// What every subcommand that makes namespaces and loads programs needs first: root, then
// hookmatrix's private mount namespace (core/mount_ns.h), so that its bpffs and pins are never
// the host's.
#include "core/error.h"

#include <string_view>

namespace hm {

Status enter_as_root(std::string_view command);

} // namespace hm
