#include "cli/root_mode.h"

#include "core/mount_ns.h"

#include <unistd.h>

namespace hm {

Status enter_as_root(std::string_view command) {
    if (::geteuid() != 0)
        return fail(std::string("needs root (it creates network namespaces and loads BPF "
                                "programs); try: sudo hookmatrix ") +
                    std::string(command) + " ...");
    return enter_private_mounts();
}

} // namespace hm
