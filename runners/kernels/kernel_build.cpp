#include "runners/kernels/kernel_build.h"

#include "core/atomic_file.h"
#include "core/janitor.h"
#include "core/spawn.h"
#include "matrix/results/results_json.h"
#include "runners/kernels/build_series.h"

#include <sys/utsname.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <stop_token>
#include <thread>

namespace hm {

namespace fs = std::filesystem;

std::vector<BuildStep> netdevsim_build_steps(const fs::path& source, const fs::path& fragment,
                                             unsigned jobs) {
    const std::string src = source.string();
    return {
        {"make tinyconfig", {"make", "-C", src, "tinyconfig"}},
        // -m: merge only; olddefconfig below fills in the rest. -O: the .config to write.
        {"merge " + fragment.filename().string(),
         {(source / "scripts/kconfig/merge_config.sh").string(), "-m", "-O", src,
          (source / ".config").string(), fragment.string()}},
        {"make olddefconfig", {"make", "-C", src, "olddefconfig"}},
        {"make bzImage", {"make", "-C", src, "-j" + std::to_string(std::max(1u, jobs)), "bzImage"}},
    };
}

std::vector<std::string> missing_build_packages() {
    // What a tinyconfig kernel with BTF needs beyond a C compiler: kconfig's parsers (flex,
    // bison), bc for the timeconst header, perl for headers scripts, pahole for BTF, libelf for
    // objtool and resolve_btfids; tar and xz to unpack the source, dpkg-deb and apt-get to fetch
    // it.
    static const std::vector<std::pair<const char*, const char*>> programs{
        {"make", "make"},
        {"gcc", "gcc"},
        {"ld", "binutils"},
        {"flex", "flex"},
        {"bison", "bison"},
        {"bc", "bc"},
        {"perl", "perl"},
        {"pahole", "dwarves"},
        {"tar", "tar"},
        {"xz", "xz-utils"},
        {"dpkg-deb", "dpkg"},
        {"apt-get", "apt"},
        {"pkg-config", "pkg-config"},
    };
    static const std::vector<std::pair<const char*, const char*>> headers{
        {"/usr/include/gelf.h", "libelf-dev"},
        {"/usr/include/zlib.h", "zlib1g-dev"},
    };
    std::vector<std::string> missing;
    for (const auto& [program, package] : programs)
        if (!find_program(program))
            missing.emplace_back(package);
    for (const auto& [header, package] : headers)
        if (!fs::exists(header))
            missing.emplace_back(package);
    return missing;
}

namespace {
// The last `lines` lines of a file, for an error's detail.
std::string log_tail(const fs::path& log, std::size_t lines = 40) {
    std::string text = read_file(log.string()).value_or("");
    std::size_t at = text.size();
    for (std::size_t n = 0; n <= lines && at != std::string::npos && at > 0; ++n)
        at = text.rfind('\n', at - 1);
    return at == std::string::npos ? text : text.substr(at + 1);
}

// While make runs: every minute, how many files it has compiled so far and the latest one.
std::jthread watch_make(const fs::path& log, const Progress& progress,
                        std::chrono::steady_clock::time_point started) {
    return std::jthread([log, progress, started](std::stop_token stop) {
        std::size_t offset = 0, compiled = 0;
        std::string last;
        auto next = started + std::chrono::minutes(1);
        while (!stop.stop_requested()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            if (std::chrono::steady_clock::now() < next)
                continue;
            next += std::chrono::minutes(1);
            std::ifstream in(log);
            in.seekg(static_cast<std::streamoff>(offset));
            std::string line;
            while (std::getline(in, line) && !in.eof()) {
                offset += line.size() + 1;
                if (line.starts_with("  CC ")) {
                    ++compiled;
                    last = line.substr(line.find_last_of(' ') + 1);
                }
            }
            const auto min = std::chrono::duration_cast<std::chrono::minutes>(
                std::chrono::steady_clock::now() - started);
            if (progress)
                progress(fmt::format("  {} min: {} files compiled{}", min.count(), compiled,
                                     last.empty() ? "" : ", now " + last));
        }
    });
}

std::string elapsed(std::chrono::steady_clock::time_point since) {
    const auto s =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - since)
            .count();
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

Status check_host() {
    utsname u{};
    ::uname(&u);
    if (std::string_view(u.machine) != "x86_64")
        return fail(fmt::format("built:netdevsim is an x86_64 kernel for qemu-system-x86_64, built "
                                "natively; this machine is {}",
                                u.machine),
                    ENOTSUP);
    if (auto missing = missing_build_packages(); !missing.empty()) {
        std::string list;
        for (const auto& p : missing)
            list += (list.empty() ? "" : " ") + p;
        return fail("the kernel build needs packages this machine lacks: apt-get install " + list,
                    ENOENT);
    }
    return {};
}

// The one directory an unpacked source tarball holds.
Result<fs::path> only_directory(const fs::path& dir) {
    std::error_code ec;
    fs::path found;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (!e.is_directory())
            continue;
        if (!found.empty())
            return fail("expected one source directory in " + dir.string());
        found = e.path();
    }
    if (found.empty())
        return fail("no source directory in " + dir.string(), ENOENT);
    return found;
}
} // namespace

namespace {
// Everything a build makes happens in one partial directory, removed on every path: by the
// build, or by the janitor when hookmatrix is killed mid-build (the source tree is gigabytes).
struct BuildDir {
    fs::path tmp, entry, log, failed_log;
    BuildSource source;
    std::string name, key; // "built:netdevsim-7.2", "built-netdevsim-7.2"

    // A failure keeps the log beside the cache's kernels and says where.
    std::unexpected<Error> failed(Error e) const {
        std::error_code ignore;
        fs::copy_file(log, failed_log, fs::copy_options::overwrite_existing, ignore);
        if (!ignore)
            e.detail = (e.detail.empty() ? "" : e.detail + "\n") + "last lines of " +
                       failed_log.string() + ":\n" + log_tail(failed_log);
        return std::unexpected(std::move(e));
    }
};

// The source package downloaded and unpacked; its one source directory.
Result<fs::path> fetch_source(const fs::path& cache, const BuildDir& dir, const Progress& say) {
    const BuildSource& src = dir.source;
    say(fmt::format("downloading {} {} (about 150 MB)", src.package, src.version));
    auto deb = debian_archive(cache, src.suite)
                   .download_package(src.package, src.version, dir.tmp / "deb");
    if (!deb)
        return std::unexpected(deb.error());
    const fs::path unpacked = dir.tmp / "deb/root";
    if (auto r = spawn_checked({"dpkg-deb", "-x", deb->string(), unpacked.string()},
                               std::chrono::minutes(5));
        !r)
        return std::unexpected(r.error());
    const fs::path tarball = unpacked / "usr/src" / (src.package + ".tar.xz");
    if (!fs::exists(tarball))
        return fail("no " + tarball.filename().string() + " in " + deb->string(), ENOENT);
    say(fmt::format("unpacking {} into {}", tarball.filename().string(),
                    (dir.tmp / "src").string()));
    std::error_code ec;
    fs::create_directories(dir.tmp / "src", ec);
    if (auto r = spawn_checked({"tar", "-xJf", tarball.string(), "-C", (dir.tmp / "src").string()},
                               std::chrono::minutes(20));
        !r)
        return std::unexpected(r.error());
    fs::remove_all(dir.tmp / "deb", ec);
    auto tree = only_directory(dir.tmp / "src");
    if (!tree)
        return tree;
    if (auto s = check_link_device(*tree); !s)
        return std::unexpected(s.error());
    return tree;
}

// The kconfig trap: olddefconfig drops, without a word, any option whose dependencies are
// unmet. Every option the fragment asks for must be there.
Status check_fragment_survived(const fs::path& source, const Progress& progress) {
    auto config = read_file((source / ".config").string());
    if (!config)
        return std::unexpected(config.error());
    // The fragment serves several series; an option this source does not define is not asked.
    const auto defined = kconfig_symbols(source);
    if (auto undefined = undefined_options(netdevsim_config_fragment(), defined);
        !undefined.empty())
        progress(fmt::format("  not defined by this source, so not asked of it: {}",
                             fmt::join(undefined, ", ")));
    const auto dropped = dropped_options(netdevsim_config_fragment(), *config, defined);
    if (dropped.empty())
        return {};
    std::string text;
    for (const auto& d : dropped)
        text += d + "\n";
    return fail(fmt::format("{} option(s) of the config fragment did not survive make "
                            "olddefconfig",
                            dropped.size()),
                EINVAL, text);
}

// tinyconfig, the fragment, olddefconfig, then the image; the make log goes to dir.log.
Status run_build_steps(const fs::path& source, const BuildDir& dir, unsigned jobs,
                       const Progress& progress) {
    const fs::path fragment = dir.tmp / "netdevsim.config";
    if (auto s = write_file_atomically(fragment.string(), std::string(netdevsim_config_fragment()));
        !s)
        return s;
    const auto steps = netdevsim_build_steps(source, fragment, jobs);
    progress(fmt::format("building in {} with {} jobs; the whole log goes to {}", source.string(),
                         std::max(1u, jobs), dir.log.string()));
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const BuildStep& step = steps[i];
        const bool compile = i + 1 == steps.size();
        progress(fmt::format("[{}/{}] {}{}", i + 1, steps.size(), step.what,
                             compile ? " (about 30 minutes on 2 CPUs)" : ""));
        if (compile)
            if (auto s = check_fragment_survived(source, progress); !s)
                return s;
        const auto started = std::chrono::steady_clock::now();
        std::jthread watcher;
        if (compile)
            watcher = watch_make(dir.log, progress, started);
        auto r = spawn(step.argv, SpawnOptions{.timeout = compile ? std::chrono::hours(4)
                                                                  : std::chrono::minutes(10),
                                               .die_with_parent = true,
                                               .output_file = dir.log.string()});
        watcher = {};
        if (!r)
            return std::unexpected(r.error());
        if (r->exit_code != 0)
            return fail(fmt::format("{} exited with {}", step.what, r->exit_code));
        if (compile)
            progress(fmt::format("  {} done in {}", step.what, elapsed(started)));
    }
    return {};
}

// The image, its config and kernel.json moved into the cache as one directory; the release.
Result<std::string> store_kernel(const fs::path& source, const BuildDir& dir,
                                 const fs::path& cache) {
    auto release = read_file((source / "include/config/kernel.release").string());
    if (!release)
        return std::unexpected(release.error());
    while (!release->empty() && std::isspace(static_cast<unsigned char>(release->back())))
        release->pop_back();
    std::error_code ec;
    for (const auto& [from, to] :
         {std::pair{"arch/x86/boot/bzImage", "bzImage"}, std::pair{".config", "config"}}) {
        fs::copy_file(source / from, dir.entry / to, fs::copy_options::overwrite_existing, ec);
        if (ec)
            return fail("copy " + (source / from).string(), ec.value());
    }
    fs::remove_all(dir.tmp / "src", ec);
    const nlohmann::ordered_json meta{
        {"name", dir.name},
        {"release", *release},
        {"vmlinuz", "bzImage"},
        {"origin", fmt::format("{} {}, tinyconfig + runners/kernels/netdevsim.config",
                               dir.source.package, dir.source.version)},
        {"series", source_series(dir.source.package)},
        {"suite", dir.source.suite},
        {"version", dir.source.version}};
    if (auto s = write_file_atomically((dir.entry / "kernel.json").string(), json_text(meta) + "\n");
        !s)
        return std::unexpected(s.error());
    const fs::path final_dir = cache / dir.key;
    fs::remove_all(final_dir, ec);
    fs::rename(dir.entry, final_dir, ec);
    if (ec)
        return fail("move " + dir.entry.string() + " to " + final_dir.string(), ec.value());
    return release;
}
} // namespace

Result<KernelImage> build_netdevsim_kernel(const fs::path& cache, const std::string& series,
                                           unsigned jobs, const Progress& progress) {
    const Progress say = [&](const std::string& line) {
        if (progress)
            progress(line);
    };
    if (auto s = check_host(); !s)
        return std::unexpected(s.error());
    const auto t0 = std::chrono::steady_clock::now();
    // The archive's lists are shared with fetches: one at a time per cache.
    auto lock = lock_kernel_cache(cache, say);
    if (!lock)
        return std::unexpected(lock.error());
    auto source = find_build_source(cache, series, progress);
    if (!source)
        return std::unexpected(source.error());
    const KernelRef ref{
        .kind = KernelRef::Kind::Built, .name = built_kernel_name(series), .series = series};
    const std::string key = cache_key(ref);
    const fs::path tmp = cache / (key + ".partial");
    const BuildDir dir{.tmp = tmp,
                       .entry = tmp / "entry",
                       .log = tmp / "entry" / "build.log",
                       .failed_log = cache / (key + ".log"),
                       .source = *source,
                       .name = ref.name,
                       .key = key};
    std::error_code ec;
    fs::remove_all(tmp, ec); // a build killed before its janitor could finish
    auto janitor = Janitor::watch_tree(tmp.string());
    if (!janitor)
        return std::unexpected(janitor.error());
    fs::create_directories(dir.entry, ec);
    if (ec)
        return fail("create " + dir.entry.string(), ec.value());
    fs::remove(dir.failed_log, ec);
    auto tree = fetch_source(cache, dir, say);
    if (!tree)
        return dir.failed(tree.error());
    if (auto s = run_build_steps(*tree, dir, jobs, say); !s)
        return dir.failed(s.error());
    auto release = store_kernel(*tree, dir, cache);
    if (!release)
        return dir.failed(release.error());
    janitor->reset(); // removes what is left of the partial directory
    say(fmt::format("built {} {} in {} ({})", ref.name, *release, elapsed(t0),
                    (cache / key / "bzImage").string()));
    return cached_kernel(ref, cache);
}

} // namespace hm
