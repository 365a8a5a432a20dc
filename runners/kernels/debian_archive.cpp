#include "runners/kernels/debian_archive.h"

#include "core/spawn.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <tuple>

namespace hm {

namespace fs = std::filesystem;

namespace {
constexpr const char* kMeta = "linux-image-cloud-amd64";

// One "Key: value" field of each stanza of apt-cache show.
std::vector<std::map<std::string, std::string>> stanzas(const std::string& text) {
    std::vector<std::map<std::string, std::string>> out(1);
    std::istringstream in(text);
    std::string line, key;
    while (std::getline(in, line)) {
        if (line.empty()) {
            if (!out.back().empty())
                out.emplace_back();
            continue;
        }
        if (line.front() == ' ') {
            if (!key.empty())
                out.back()[key] += line;
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        key = line.substr(0, colon);
        out.back()[key] = line.substr(std::min(line.size(), colon + 2));
    }
    if (out.back().empty())
        out.pop_back();
    return out;
}

std::string series_of(const std::string& version) {
    const auto first = version.find('.');
    if (first == std::string::npos)
        return {};
    auto end = first + 1;
    while (end < version.size() && std::isdigit(static_cast<unsigned char>(version[end])))
        ++end;
    return version.substr(0, end);
}

// dpkg's comparison of one part (upstream or revision).
int compare_part(const std::string& a, const std::string& b) {
    auto order = [](char c) {
        if (std::isdigit(static_cast<unsigned char>(c)))
            return 0;
        if (std::isalpha(static_cast<unsigned char>(c)))
            return static_cast<int>(static_cast<unsigned char>(c));
        if (c == '~')
            return -1;
        return c ? static_cast<int>(static_cast<unsigned char>(c)) + 256 : 0;
    };
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        while ((i < a.size() && !std::isdigit(static_cast<unsigned char>(a[i]))) ||
               (j < b.size() && !std::isdigit(static_cast<unsigned char>(b[j])))) {
            const int ac = i < a.size() ? order(a[i]) : 0;
            const int bc = j < b.size() ? order(b[j]) : 0;
            if (ac != bc)
                return ac < bc ? -1 : 1;
            ++i, ++j;
        }
        std::size_t an = 0, bn = 0;
        while (i < a.size() && a[i] == '0')
            ++i;
        while (j < b.size() && b[j] == '0')
            ++j;
        while (i + an < a.size() && std::isdigit(static_cast<unsigned char>(a[i + an])))
            ++an;
        while (j + bn < b.size() && std::isdigit(static_cast<unsigned char>(b[j + bn])))
            ++bn;
        if (an != bn)
            return an < bn ? -1 : 1;
        if (int c = a.compare(i, an, b, j, bn); c != 0)
            return c < 0 ? -1 : 1;
        i += an, j += bn;
    }
    return 0;
}
} // namespace

std::vector<std::pair<std::string, std::string>> depends_pins(const std::string& depends) {
    std::vector<std::pair<std::string, std::string>> out;
    std::string name, relation;
    bool in_version = false;
    auto trim = [](std::string s) {
        std::erase_if(s, [](unsigned char ch) { return std::isspace(ch); });
        return s;
    };
    for (char c : depends + ",") {
        if (c == '(')
            in_version = true;
        else if (c == ')')
            in_version = false;
        else if (in_version)
            relation += c;
        else if (c == ',' || c == '|') {
            std::string r = trim(relation);
            // "=1.0" pins; ">=1.0", "<<1.0" do not.
            const bool pinned = r.size() > 1 && r[0] == '=';
            if (auto n = trim(name); !n.empty())
                out.emplace_back(n, pinned ? r.substr(1) : "");
            name.clear();
            relation.clear();
        } else
            name += c;
    }
    return out;
}

int compare_debian_versions(const std::string& a, const std::string& b) {
    auto split = [](const std::string& v) {
        const auto colon = v.find(':');
        const long epoch = colon == std::string::npos ? 0 : std::strtol(v.c_str(), nullptr, 10);
        std::string rest = colon == std::string::npos ? v : v.substr(colon + 1);
        const auto dash = rest.rfind('-');
        std::string rev = dash == std::string::npos ? "" : rest.substr(dash + 1);
        if (dash != std::string::npos)
            rest.resize(dash);
        return std::tuple{epoch, rest, rev};
    };
    auto [ea, ua, ra] = split(a);
    auto [eb, ub, rb] = split(b);
    if (ea != eb)
        return ea < eb ? -1 : 1;
    if (int c = compare_part(ua, ub); c != 0)
        return c;
    return compare_part(ra, rb);
}

const std::vector<std::string>& DebianArchive::source_lines() {
    // The newest 5.10 and 6.1 builds are in the -security suites; 6.12 in trixie (and
    // bookworm-backports); 7.x in forky.
    static const std::vector<std::string> lines{
        "deb http://deb.debian.org/debian bullseye main",
        "deb http://deb.debian.org/debian-security bullseye-security main",
        "deb http://deb.debian.org/debian bookworm main",
        "deb http://deb.debian.org/debian-security bookworm-security main",
        "deb http://deb.debian.org/debian bookworm-backports main",
        "deb http://deb.debian.org/debian trixie main",
        "deb http://deb.debian.org/debian-security trixie-security main",
        "deb http://deb.debian.org/debian forky main",
    };
    return lines;
}

std::vector<std::string> DebianArchive::suite_lines(const std::string& suite) {
    return {"deb http://deb.debian.org/debian " + suite + " main"};
}

DebianArchive debian_archive(const fs::path& cache, const std::string& suite) {
    if (suite.empty())
        return DebianArchive(cache / "apt");
    return DebianArchive(cache / ("apt-" + suite), DebianArchive::suite_lines(suite), suite);
}

std::vector<std::string> DebianArchive::apt_options() const {
    const std::string d = dir_.string();
    return {"-o", "Dir::Etc::SourceList=" + d + "/sources.list", "-o",
            "Dir::Etc::SourceParts=" + d + "/sources.list.d", "-o",
            "Dir::State::Lists=" + d + "/lists", "-o", "Dir::Cache=" + d + "/cache", "-o",
            "Debug::NoLocking=1", "-o", "APT::Architecture=amd64", "-o", "Acquire::Languages=none",
            // A mirror's passing 5xx or reset must not fail a run (or CI) that needs one
            // kernel: apt retries each file, waiting longer each time.
            "-o", "Acquire::Retries=5",
            // The download lands in a directory root owns; apt's _apt sandbox cannot write it.
            "-o", "APT::Sandbox::User=root"};
}

Status DebianArchive::update(const Progress& progress, bool force) {
    std::error_code ec;
    for (const char* sub : {"lists/partial", "cache/archives/partial", "sources.list.d"})
        fs::create_directories(dir_ / sub, ec);
    if (ec)
        return fail("create " + dir_.string(), ec.value());
    {
        std::ofstream out(dir_ / "sources.list");
        for (const auto& l : lines_)
            out << l << "\n";
        if (!out)
            return fail("write " + (dir_ / "sources.list").string(), errno);
    }
    const fs::path stamp = dir_ / "updated";
    if (!force && fs::exists(stamp, ec)) {
        const auto age = fs::file_time_type::clock::now() - fs::last_write_time(stamp, ec);
        if (!ec && age < std::chrono::hours(24))
            return {};
    }
    if (progress)
        progress("updating Debian's package lists (" + label_ + ") in " + dir_.string());
    std::vector<std::string> argv{"apt-get"};
    auto opts = apt_options();
    argv.insert(argv.end(), opts.begin(), opts.end());
    argv.push_back("-q");
    argv.push_back("update");
    // One index of the many suites that fails (a mirror in sync, say) fails the whole update:
    // try once more after a pause before giving up.
    auto r = spawn_checked(argv, std::chrono::minutes(10));
    if (!r) {
        if (progress)
            progress("apt-get update failed (" + r.error().message() + "); trying again in 10 s");
        std::this_thread::sleep_for(std::chrono::seconds(10));
        r = spawn_checked(argv, std::chrono::minutes(10));
    }
    if (!r)
        return fail("apt-get update (private lists in " + dir_.string() + ")", 0,
                    r.error().message());
    std::ofstream(stamp) << "\n";
    return {};
}

Result<std::vector<DebianKernel>> DebianArchive::kernels() const {
    std::vector<std::string> argv{"apt-cache"};
    auto opts = apt_options();
    argv.insert(argv.end(), opts.begin(), opts.end());
    argv.insert(argv.end(), {"show", kMeta});
    auto r = spawn_checked(argv, std::chrono::minutes(2));
    if (!r)
        return fail("apt-cache show " + std::string(kMeta), 0, r.error().message());
    std::map<std::string, DebianKernel> newest; // by series
    for (const auto& st : stanzas(r->out)) {
        auto v = st.find("Version"), d = st.find("Depends");
        if (v == st.end() || d == st.end())
            continue;
        DebianKernel k{.series = series_of(v->second), .version = v->second};
        for (const auto& [name, pin] : depends_pins(d->second))
            if (name.starts_with("linux-image-") && name != kMeta) {
                k.image = name;
                k.image_version = pin;
            }
        if (k.series.empty() || k.image.empty())
            continue;
        auto [it, fresh] = newest.try_emplace(k.series, k);
        if (!fresh && compare_debian_versions(k.version, it->second.version) > 0)
            it->second = k;
    }
    std::vector<DebianKernel> out;
    for (auto& [series, k] : newest)
        out.push_back(k);
    std::ranges::sort(out, [](const DebianKernel& a, const DebianKernel& b) {
        return compare_debian_versions(a.series, b.series) < 0;
    });
    return out;
}

Result<std::vector<fs::path>> DebianArchive::download(const DebianKernel& k,
                                                      const fs::path& into) const {
    auto opts = apt_options();
    // 7.x splits the kernel: the image package only depends on its parts, named by the same ABI.
    // Each is asked for at the version its parent pins, so apt picks no other suite's build.
    auto at = [](const std::string& name, const std::string& version) {
        return version.empty() ? name : name + "=" + version;
    };
    const std::string abi = k.image.substr(std::string("linux-image-").size());
    std::vector<std::string> packages{at(k.image, k.image_version)};
    {
        std::vector<std::string> argv{"apt-cache"};
        argv.insert(argv.end(), opts.begin(), opts.end());
        argv.insert(argv.end(), {"show", packages.front()});
        auto r = spawn_checked(argv, std::chrono::minutes(2));
        if (!r)
            return fail("apt-cache show " + packages.front(), 0, r.error().message());
        auto st = stanzas(r->out);
        if (!st.empty())
            for (const auto& [name, pin] : depends_pins(st.front()["Depends"]))
                if (name.starts_with("linux-") && name.ends_with(abi) && name != k.image)
                    packages.push_back(at(name, pin));
    }
    return apt_download(packages, into);
}

Result<std::vector<fs::path>> DebianArchive::apt_download(const std::vector<std::string>& packages,
                                                          const fs::path& into) const {
    std::error_code ec;
    fs::create_directories(into, ec);
    if (ec)
        return fail("create " + into.string(), ec.value());
    std::vector<std::string> argv{"apt-get"};
    auto opts = apt_options();
    argv.insert(argv.end(), opts.begin(), opts.end());
    argv.insert(argv.end(), {"-q", "download"});
    argv.insert(argv.end(), packages.begin(), packages.end());
    // apt-get download writes into its working directory.
    auto r = spawn(argv,
                   SpawnOptions{.timeout = std::chrono::minutes(20), .working_dir = into.string()});
    if (!r)
        return std::unexpected(r.error());
    if (r->exit_code != 0)
        return fail("apt-get download " + packages.front() + " exited with " +
                        std::to_string(r->exit_code),
                    0, r->err);
    std::vector<fs::path> debs;
    for (const auto& e : fs::directory_iterator(into, ec))
        if (e.path().extension() == ".deb")
            debs.push_back(e.path());
    if (debs.empty())
        return fail("apt-get download " + packages.front() + " left no .deb in " + into.string());
    return debs;
}

Result<std::string> DebianArchive::newest_version(const std::string& package) const {
    std::vector<std::string> argv{"apt-cache"};
    auto opts = apt_options();
    argv.insert(argv.end(), opts.begin(), opts.end());
    argv.insert(argv.end(), {"show", package});
    auto r = spawn(argv, std::chrono::minutes(2));
    if (!r)
        return std::unexpected(r.error());
    std::string newest;
    for (const auto& st : stanzas(r->out))
        if (auto v = st.find("Version"); v != st.end())
            if (newest.empty() || compare_debian_versions(v->second, newest) > 0)
                newest = v->second;
    if (newest.empty())
        return fail("Debian's archive (" + label_ + ") has no package " + package, ENOENT, r->err);
    return newest;
}

Result<std::vector<std::string>> DebianArchive::package_names(const std::string& prefix) const {
    std::vector<std::string> argv{"apt-cache"};
    auto opts = apt_options();
    argv.insert(argv.end(), opts.begin(), opts.end());
    argv.insert(argv.end(), {"pkgnames", prefix});
    auto r = spawn_checked(argv, std::chrono::minutes(2));
    if (!r)
        return fail("apt-cache pkgnames " + prefix, 0, r.error().message());
    std::vector<std::string> names;
    std::istringstream in(r->out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            names.push_back(line);
    std::ranges::sort(names);
    return names;
}

Result<fs::path> DebianArchive::download_package(const std::string& package,
                                                 const std::string& version,
                                                 const fs::path& into) const {
    auto debs = apt_download({package + "=" + version}, into);
    if (!debs)
        return std::unexpected(debs.error());
    auto it = std::ranges::find_if(
        *debs, [&](const fs::path& p) { return p.filename().string().starts_with(package + "_"); });
    if (it == debs->end())
        return fail("apt-get download " + package + " left no " + package + "_*.deb in " +
                    into.string());
    return *it;
}

} // namespace hm
