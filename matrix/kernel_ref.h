#pragma once
// The names a user gives the kernel axis: `host` (the running kernel), `debian:SERIES` (Debian's
// cloud-amd64 kernel of that series, fetched into a cache), `debian:sid` and `debian:experimental`
// (`debian:rc` is another spelling: the newest kernel of that suite, whatever its series),
// `built:netdevsim` and `built:netdevsim-SERIES` (compiled by `hookmatrix kernels build`), or a
// path to a bzImage / vmlinuz.
#include "core/error.h"

#include <string>

namespace hm {

struct KernelRef {
    enum class Kind { Host, Debian, Built, Path };
    Kind kind = Kind::Host;
    std::string name;   // as the user wrote it: the cell's kernel until the guest names its release
    std::string series; // Debian: "6.12", empty for a suite; Built: the source's "6.12", or "sid"
    std::string suite;  // Debian's upcoming kernels: "sid" or "experimental"; empty for a series
    std::string path;   // Path: the image

    bool is_host() const { return kind == Kind::Host; }
};

// The series `built:netdevsim` (no series named) is built from.
inline constexpr const char* kDefaultBuiltSeries = "6.12";

// Errors name the forms that are accepted.
Result<KernelRef> parse_kernel_ref(const std::string& text);

// "debian:6.12" -> "debian-6.12", "debian:rc" -> "debian-experimental", "built:netdevsim" and
// "built:netdevsim-6.12" -> "built-netdevsim", "built:netdevsim-7.2" -> "built-netdevsim-7.2":
// a name safe as a directory name, one per kernel however it is spelt.
std::string cache_key(const KernelRef& ref);

// The name a built kernel of `series` goes by: "built:netdevsim" for the default series,
// else "built:netdevsim-SERIES".
std::string built_kernel_name(const std::string& series);

} // namespace hm
