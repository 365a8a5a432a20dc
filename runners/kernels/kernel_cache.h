#pragma once
// Kernels other than the running one, kept in a cache directory (one subdirectory per kernel,
// made whole or not at all): Debian's, fetched on first use; hookmatrix's own builds; and images
// the user names by path.
#include "core/error.h"
#include "core/file_lock.h"
#include "matrix/kernel_ref.h"
#include "runners/kernels/debian_archive.h"

#include <filesystem>
#include <string>
#include <vector>

namespace hm {

struct KernelImage {
    std::string name;    // as the user named it: "debian:6.12"
    std::string release; // "6.12.117+deb13-cloud-amd64"; empty until the guest reports it
    std::filesystem::path vmlinuz;
    std::filesystem::path modules; // .../lib/modules/RELEASE with modules.dep; empty: no modules
    std::string origin;            // "linux-image-6.12.117+deb13-cloud-amd64 6.12.117-1"
    // Debian's: the series it turned out to be ("7.3" for debian:experimental), the suite it was
    // read from ("sid", "experimental"; empty for debian:SERIES) and the metapackage's version.
    std::string series, suite, version;
};

// $HOOKMATRIX_KERNEL_CACHE, else $XDG_CACHE_HOME/hookmatrix/kernels, else
// ~/.cache/hookmatrix/kernels.
std::filesystem::path default_kernel_cache();

// The kernel as the cache holds it; an Error when it is not there.
Result<KernelImage> cached_kernel(const KernelRef& ref, const std::filesystem::path& cache);
// Every kernel in the cache.
std::vector<KernelImage> cached_kernels(const std::filesystem::path& cache);

// One fetch or build at a time per cache: the archive's lists and each entry's partial directory
// are shared, and two at once would remove each other's. Makes the cache directory if need be,
// then waits for its lock, saying so through `progress` when another hookmatrix holds it.
Result<FileLock> lock_kernel_cache(const std::filesystem::path& cache, const Progress& progress);

// Downloads Debian's newest cloud-amd64 kernel of `ref` (a debian:SERIES, or the newest of
// debian:sid / debian:experimental, whatever its series) with its modules into the cache.
Result<KernelImage> fetch_debian_kernel(const KernelRef& ref, const std::filesystem::path& cache,
                                        const Progress& progress);

// What a run needs: the cached kernel, fetched first when it is Debian's and missing. The cached
// debian:sid or debian:experimental is fetched again when its suite's package lists, refreshed
// once they are a day old, name a newer version (offline, the cached one is used and said so). A
// path is taken as it is, with `modules_dir` (a lib/modules/RELEASE directory) when given.
Result<KernelImage> resolve_kernel(const KernelRef& ref, const std::filesystem::path& cache,
                                   const std::string& modules_dir, const Progress& progress);

} // namespace hm
