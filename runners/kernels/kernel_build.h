#pragma once
// built:netdevsim (and built:netdevsim-SERIES): a small kernel with netdevsim built in, compiled
// from Debian's linux-source package (`make tinyconfig`, then runners/kernels/netdevsim.config on
// top, then `make olddefconfig`) and kept in the kernel cache like Debian's kernels: whole or not
// at all. Which sources are accepted, and why: runners/kernels/build_series.h.
#include "core/error.h"
#include "runners/kernels/kconfig_fragment.h"
#include "runners/kernels/kernel_cache.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace hm {

// The source package of built:netdevsim: the newest in the suites hookmatrix searches (trixie
// and its security updates serve 6.12). Other series: `kernels build --series`.
inline constexpr const char* kNetdevsimSourcePackage = "linux-source-6.12";

struct BuildStep {
    std::string what; // "make tinyconfig"
    std::vector<std::string> argv;
};

// The commands that turn an extracted source tree into arch/x86/boot/bzImage, in order: the
// fragment merged onto tinyconfig, olddefconfig, then the image with `jobs` parallel jobs. The
// check of the fragment's options belongs between olddefconfig and bzImage. Pure: no files are
// touched, so unit tests read the command lines.
std::vector<BuildStep> netdevsim_build_steps(const std::filesystem::path& source,
                                             const std::filesystem::path& fragment, unsigned jobs);

// The Debian packages the build needs that this machine lacks (by the programs and headers it
// looks for): flex, bison, dwarves (pahole, for BTF), libelf-dev (objtool, resolve_btfids), ...
std::vector<std::string> missing_build_packages();

// Downloads the newest linux-source of `series` ("6.12", "7.2", "sid": build_series.h), builds,
// and stores the kernel in `cache` as built_kernel_name(series) (bzImage, its .config, the build
// log). The source tree (GBs) is deleted afterwards, and by a janitor if hookmatrix is killed; a
// failed build's log stays at CACHE/KEY.log (CACHE/built-netdevsim-7.2.log).
Result<KernelImage> build_netdevsim_kernel(const std::filesystem::path& cache,
                                           const std::string& series, unsigned jobs,
                                           const Progress& progress);

} // namespace hm
