#include "runners/kernels/build_series.h"

#include "core/spawn.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

namespace hm {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view kSourcePrefix = "linux-source-";

bool all_digits(std::string_view s) {
    return !s.empty() && std::ranges::all_of(s, [](unsigned char c) { return std::isdigit(c); });
}

std::string accepted_text(const std::vector<std::string>& accepted) {
    std::string text;
    for (const auto& s : accepted)
        text += (text.empty() ? "" : ", ") + s;
    return text.empty() ? "none (the archive's lists serve no linux-source from " +
                              std::string(kFirstLinkDeviceSeries) + " on)"
                        : text;
}
} // namespace

std::string source_series(std::string_view package) {
    if (!package.starts_with(kSourcePrefix))
        return {};
    const std::string_view series = package.substr(kSourcePrefix.size());
    const auto dot = series.find('.');
    if (dot == std::string_view::npos || !all_digits(series.substr(0, dot)) ||
        !all_digits(series.substr(dot + 1)))
        return {};
    return std::string(series);
}

std::vector<std::string> buildable_series(const std::vector<std::string>& source_packages) {
    std::vector<std::string> out;
    for (const auto& p : source_packages)
        if (auto s = source_series(p); !s.empty() &&
                                       compare_debian_versions(s, kFirstLinkDeviceSeries) >= 0 &&
                                       std::ranges::find(out, s) == out.end())
            out.push_back(s);
    std::ranges::sort(out, [](const std::string& a, const std::string& b) {
        return compare_debian_versions(a, b) < 0;
    });
    out.emplace_back("sid");
    return out;
}

Status check_build_series(const std::string& series, const std::vector<std::string>& accepted) {
    if (std::ranges::find(accepted, series) != accepted.end())
        return {};
    // Unsupported: the archive lacks what was asked for (the command makes it a usage error).
    return unsupported("cannot build a netdevsim kernel from series '" + series +
                           "': the accepted series are " + accepted_text(accepted) +
                           " (a linux-source the archive serves whose netdevsim has "
                           "link_device, " +
                           kFirstLinkDeviceSeries + " on)",
                       0);
}

Result<BuildSource> find_build_source(const fs::path& cache, const std::string& series,
                                      const Progress& progress) {
    DebianArchive released = debian_archive(cache);
    if (auto s = released.update(progress); !s)
        return std::unexpected(s.error());
    auto names = released.package_names(std::string(kSourcePrefix));
    if (!names)
        return std::unexpected(names.error());
    if (auto s = check_build_series(series, buildable_series(*names)); !s)
        return std::unexpected(s.error());
    if (series != "sid") {
        BuildSource src{.series = series, .package = std::string(kSourcePrefix) + series};
        auto version = released.newest_version(src.package);
        if (!version)
            return std::unexpected(version.error());
        src.version = *version;
        return src;
    }
    // sid: the series its linux-source metapackage is at, from sid alone.
    DebianArchive sid = debian_archive(cache, "sid");
    if (auto s = sid.update(progress); !s)
        return std::unexpected(s.error());
    auto version = sid.newest_version("linux-source");
    if (!version)
        return std::unexpected(version.error());
    BuildSource src{.series = series, .version = *version, .suite = "sid"};
    const auto dot = version->find('.');
    const auto end = version->find_first_not_of("0123456789", dot + 1);
    src.package = std::string(kSourcePrefix) + version->substr(0, end);
    if (compare_debian_versions(source_series(src.package), kFirstLinkDeviceSeries) < 0)
        return unsupported("sid serves " + src.package + ", too old for netdevsim's link_device",
                           0);
    return src;
}

Status check_link_device(const fs::path& source) {
    const fs::path bus = source / "drivers/net/netdevsim/bus.c";
    std::ifstream in(bus);
    if (!in)
        return fail("no " + bus.string() + " in the unpacked source", ENOENT);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find("link_device") == std::string::npos)
        return unsupported(bus.string() + " has no link_device: this netdevsim cannot link two "
                                          "ports, so no frame would flow between them",
                           0);
    return {};
}

} // namespace hm
