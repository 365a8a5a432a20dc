#pragma once
// Which Debian linux-source a netdevsim kernel is built from (`hookmatrix kernels build --series
// SERIES`), and what the result is called: built:netdevsim from 6.12 (the first build, whose
// name stays), built:netdevsim-SERIES from another series, built:netdevsim-sid from the source
// sid serves. A series is accepted when the archive serves its linux-source-SERIES and its
// netdevsim can link two ports (/sys/bus/netdevsim/link_device, Linux 6.9, commit f532957d76fa;
// 6.1's drops every frame it sends). The unpacked source is checked for link_device too, so a
// backport or a removal is seen rather than assumed.
#include "core/error.h"
#include "runners/kernels/debian_archive.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace hm {

// The first series whose netdevsim has link_device.
inline constexpr const char* kFirstLinkDeviceSeries = "6.9";

// "linux-source-7.2" -> "7.2"; empty for any other name (linux-source, linux-source-7.2-rt).
std::string source_series(std::string_view package);

// What `--series` accepts, given the linux-source-* package names the series' suites serve:
// each series from kFirstLinkDeviceSeries on, oldest first, then "sid" (whatever sid's source is).
std::vector<std::string> buildable_series(const std::vector<std::string>& source_packages);

// `series` when `accepted` holds it; else an Error that lists what is accepted.
Status check_build_series(const std::string& series, const std::vector<std::string>& accepted);

// The source package a build of `series` downloads.
struct BuildSource {
    std::string series;  // as asked: "6.12", "7.2", "sid"
    std::string package; // "linux-source-7.2"
    std::string version; // "7.2.13-1"
    std::string suite;   // "sid" for --series sid; empty: the series' suites
};

// Reads the archives under `cache` (their lists refreshed when a day old; the caller holds the
// cache's lock) and picks the newest source of `series`, or says why it cannot be built.
Result<BuildSource> find_build_source(const std::filesystem::path& cache, const std::string& series,
                                      const Progress& progress);

// Whether an unpacked kernel source's netdevsim has link_device (drivers/net/netdevsim/bus.c).
Status check_link_device(const std::filesystem::path& source);

} // namespace hm
