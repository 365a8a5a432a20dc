#pragma once
// Debian's kernels, through apt without touching the system's apt configuration: a sources list,
// package lists and a download cache of hookmatrix's own, under its kernel cache, passed to
// apt-get and apt-cache as -o options.
#include "core/error.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace hm {

using Progress = std::function<void(const std::string&)>;

struct DebianKernel {
    std::string series;  // "6.12"
    std::string version; // of the linux-image-cloud-amd64 metapackage: "6.12.117-1"
    std::string image;   // the versioned image package: "linux-image-6.12.117+deb13-cloud-amd64"
    std::string image_version; // the version the metapackage asks of it ("= 6.12.117-1")
};

class DebianArchive {
public:
    // `dir` holds the private apt state; made when missing. `lines` is its sources list and
    // `label` names its suites in messages.
    explicit DebianArchive(std::filesystem::path dir,
                           std::vector<std::string> lines = source_lines(),
                           std::string label = "bullseye to forky")
        : dir_(std::move(dir)), lines_(std::move(lines)), label_(std::move(label)) {}

    // Refreshes the package lists unless they are younger than a day (or `force`).
    Status update(const Progress& progress, bool force = false);
    // The newest cloud-amd64 kernel of every series the archive serves, oldest series first.
    Result<std::vector<DebianKernel>> kernels() const;
    // The image package and the packages it is split into (7.x: linux-binary-*, linux-modules-*,
    // linux-base-*), downloaded into `into`; returns the .deb files.
    Result<std::vector<std::filesystem::path>> download(const DebianKernel& k,
                                                        const std::filesystem::path& into) const;

    // The newest version of `package` in the suites searched ("6.12.118-1" for
    // linux-source-6.12); an Error when no suite has it.
    Result<std::string> newest_version(const std::string& package) const;
    // The names of the packages starting with `prefix` ("linux-source-") in the suites searched.
    Result<std::vector<std::string>> package_names(const std::string& prefix) const;
    // `package` at `version`, downloaded into `into`; returns the .deb file.
    Result<std::filesystem::path> download_package(const std::string& package,
                                                   const std::string& version,
                                                   const std::filesystem::path& into) const;

    // The suites searched for debian:SERIES: every series Debian still serves for amd64 (sid
    // and experimental are not among them: docs/kernels.md).
    static const std::vector<std::string>& source_lines();
    // The one line of an upcoming suite: "deb http://deb.debian.org/debian sid main".
    static std::vector<std::string> suite_lines(const std::string& suite);

private:
    std::vector<std::string> apt_options() const;
    // apt-get download of `packages` (names, or name=version) into `into`; the .deb files there.
    Result<std::vector<std::filesystem::path>>
    apt_download(const std::vector<std::string>& packages, const std::filesystem::path& into) const;
    std::filesystem::path dir_;
    std::vector<std::string> lines_;
    std::string label_;
};

// The archive a kernel comes from, its apt state under the kernel cache: CACHE/apt for the
// series (`suite` empty), CACHE/apt-SUITE for "sid" and "experimental", each suite alone in its
// sources list. Apart, sid's newer build of a series never replaces what debian:SERIES resolves
// to, and experimental's priority-1 packages are the only candidates where they are read.
DebianArchive debian_archive(const std::filesystem::path& cache, const std::string& suite = "");

// "a (= 1), b | c (>= 2)" -> {{a, 1}, {b, ""}, {c, ""}}: each name with the version an `=`
// relation pins it to.
std::vector<std::pair<std::string, std::string>> depends_pins(const std::string& depends);

// dpkg's ordering of version strings (epoch, upstream, revision; '~' sorts before anything).
int compare_debian_versions(const std::string& a, const std::string& b);

} // namespace hm
