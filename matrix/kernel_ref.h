#pragma once
// The names a user gives the kernel axis: `host` (the running kernel), `debian:SERIES` (Debian's
// cloud-amd64 kernel of that series, fetched into a cache), `built:netdevsim` (compiled by
// a future `hookmatrix kernels build`; reserved), or a path to a bzImage / vmlinuz.
#include "core/error.h"

#include <string>

namespace hm {

struct KernelRef {
    enum class Kind { Host, Debian, Built, Path };
    Kind kind = Kind::Host;
    std::string name;   // as the user wrote it: the cell's kernel until the guest names its release
    std::string series; // Debian: "6.12"; Built: "netdevsim"
    std::string path;   // Path: the image

    bool is_host() const { return kind == Kind::Host; }
};

// Errors name the forms that are accepted.
Result<KernelRef> parse_kernel_ref(const std::string& text);

// "debian:6.12" -> "debian-6.12": a name safe as a directory name.
std::string cache_key(const KernelRef& ref);

} // namespace hm
