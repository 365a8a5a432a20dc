#include "runners/kernels/kernel_cache.h"

#include "core/spawn.h"
#include "matrix/results/results_json.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

namespace hm {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {
constexpr const char* kMetaFile = "kernel.json";

Result<KernelImage> read_meta(const fs::path& dir) {
    std::ifstream in(dir / kMetaFile);
    if (!in)
        return fail("no kernel in " + dir.string(), ENOENT);
    try {
        json j = json::parse(in);
        KernelImage k{.name = j.at("name"),
                      .release = j.at("release"),
                      .vmlinuz = dir / j.at("vmlinuz").get<std::string>(),
                      .origin = j.value("origin", ""),
                      .series = j.value("series", ""),
                      .suite = j.value("suite", ""),
                      .version = j.value("version", "")};
        if (const std::string m = j.value("modules", ""); !m.empty())
            k.modules = dir / m;
        return k;
    } catch (const std::exception& e) {
        return fail("read " + (dir / kMetaFile).string(), 0, e.what());
    }
}

// The one lib/modules/RELEASE directory of an unpacked kernel package (usr/lib for 6.12 on).
Result<fs::path> modules_dir_in(const fs::path& root) {
    std::error_code ec;
    for (const char* base : {"lib/modules", "usr/lib/modules"})
        for (const auto& e : fs::directory_iterator(root / base, ec))
            if (fs::is_directory(e.path() / "kernel"))
                return e.path();
    return fail("no lib/modules/RELEASE/kernel in " + root.string(), ENOENT);
}

Result<fs::path> vmlinuz_in(const fs::path& root, const std::string& release) {
    for (const fs::path& p : {root / "boot" / ("vmlinuz-" + release),
                              root / "usr/lib/modules" / release / "vmlinuz",
                              root / "lib/modules" / release / "vmlinuz"})
        if (fs::exists(p))
            return p;
    return fail("no vmlinuz for " + release + " in " + root.string(), ENOENT);
}

// modules.dep for the guest's loader; Debian ships none. depmod (kmod 30) reads only
// ROOT/lib/modules, so a kernel that keeps them in usr/lib gets a link.
Status make_modules_dep(const fs::path& root, const std::string& release) {
    std::error_code ec;
    if (!fs::exists(root / "lib/modules" / release)) {
        fs::create_directories(root / "lib", ec);
        fs::create_directory_symlink("../usr/lib/modules", root / "lib/modules", ec);
        if (ec)
            return fail("link lib/modules in " + root.string(), ec.value());
    }
    if (auto r = spawn_checked({"depmod", "-b", root.string(), release}, std::chrono::minutes(2));
        !r)
        return std::unexpected(r.error());
    return {};
}
} // namespace

fs::path default_kernel_cache() {
    // Absolute: a relative directory (CI's kernel-cache) must mean the same wherever qemu,
    // dpkg-deb and apt are started.
    if (const char* d = std::getenv("HOOKMATRIX_KERNEL_CACHE"); d && *d)
        return fs::absolute(d);
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
        return fs::path(x) / "hookmatrix/kernels";
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : "/root") / ".cache/hookmatrix/kernels";
}

Result<KernelImage> cached_kernel(const KernelRef& ref, const fs::path& cache) {
    return read_meta(cache / cache_key(ref));
}

std::vector<KernelImage> cached_kernels(const fs::path& cache) {
    std::vector<KernelImage> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(cache, ec))
        if (auto k = read_meta(e.path()))
            out.push_back(*k);
    std::ranges::sort(out, {}, &KernelImage::name);
    return out;
}

Result<FileLock> lock_kernel_cache(const fs::path& cache, const Progress& progress) {
    std::error_code made; // if it cannot be made, taking the lock fails and says why
    fs::create_directories(cache, made);
    return FileLock::acquire((cache / ".fetch.lock").string(), [&](const std::string& p) {
        if (progress)
            progress("waiting for another hookmatrix's fetch or build to finish (" + p + ")");
    });
}

namespace {
// The newest kernel `ref` names in an archive whose lists are current: the series', or for a
// suite the newest there.
Result<DebianKernel> newest_kernel(const DebianArchive& archive, const KernelRef& ref) {
    auto kernels = archive.kernels();
    if (!kernels)
        return std::unexpected(kernels.error());
    if (!ref.suite.empty()) {
        if (kernels->empty())
            return fail("Debian's " + ref.suite + " suite has no cloud-amd64 kernel");
        return kernels->back(); // oldest series first
    }
    auto it = std::ranges::find(*kernels, ref.series, &DebianKernel::series);
    if (it != kernels->end())
        return *it;
    std::string known;
    for (const auto& k : *kernels)
        known += (known.empty() ? "" : ", ") + ("debian:" + k.series);
    return fail("Debian's archive serves no " + ref.series + " cloud kernel (it serves: " + known +
                ", and debian:sid, debian:experimental)");
}

// The kernel downloaded and unpacked into the cache as `ref`'s entry; the cache is locked.
Result<KernelImage> store_debian_kernel(const DebianArchive& archive, const DebianKernel& k,
                                        const KernelRef& ref, const fs::path& cache,
                                        const Progress& progress) {
    const std::string key = cache_key(ref);
    const fs::path tmp = cache / (key + ".partial");
    std::error_code ec;
    fs::remove_all(tmp, ec);
    if (progress)
        progress("downloading " + k.image + " " + k.version);
    auto debs = archive.download(k, tmp / "debs");
    if (!debs)
        return std::unexpected(debs.error());
    const fs::path root = tmp / "root";
    for (const auto& deb : *debs)
        if (auto r = spawn_checked({"dpkg-deb", "-x", deb.string(), root.string()},
                                   std::chrono::minutes(5));
            !r)
            return std::unexpected(r.error());
    fs::remove_all(tmp / "debs", ec);
    auto mods = modules_dir_in(root);
    if (!mods)
        return std::unexpected(mods.error());
    const std::string release = mods->filename().string();
    auto vmlinuz = vmlinuz_in(root, release);
    if (!vmlinuz)
        return std::unexpected(vmlinuz.error());
    if (auto s = make_modules_dep(root, release); !s)
        return std::unexpected(s.error());
    // The name is the entry's, however the user spelt it (debian:rc is debian:experimental).
    const std::string name = ref.suite.empty() ? "debian:" + ref.series : "debian:" + ref.suite;
    const json meta{{"name", name},
                    {"release", release},
                    {"vmlinuz", fs::relative(*vmlinuz, tmp).string()},
                    {"modules", fs::relative(root / "lib/modules" / release, tmp).string()},
                    {"origin", k.image + " " + k.version},
                    {"series", k.series},
                    {"suite", ref.suite},
                    {"version", k.version}};
    std::ofstream(tmp / kMetaFile) << json_text(meta) << "\n";
    const fs::path final_dir = cache / key;
    fs::remove_all(final_dir, ec);
    fs::rename(tmp, final_dir, ec);
    if (ec)
        return fail("move " + tmp.string() + " to " + final_dir.string(), ec.value());
    return read_meta(final_dir);
}

// An upcoming suite's cached kernel, or its newer build when the suite's lists (refreshed when a
// day old) have one. Without the network the cached kernel serves, with a note; so it does while
// another hookmatrix holds the cache (a kernel build holds it for half an hour).
Result<KernelImage> refreshed_suite_kernel(const KernelRef& ref, const KernelImage& cached,
                                           const fs::path& cache, const Progress& progress) {
    auto lock = FileLock::try_acquire((cache / ".fetch.lock").string());
    if (!lock)
        return std::unexpected(lock.error());
    if (!*lock) {
        if (progress)
            progress(ref.name + ": using the cached " + cached.release +
                     " (another hookmatrix is fetching or building in " + cache.string() +
                     "; not checked for a newer one)");
        return cached;
    }
    DebianArchive archive = debian_archive(cache, ref.suite);
    auto newest = [&]() -> Result<DebianKernel> {
        if (auto s = archive.update(progress); !s)
            return std::unexpected(s.error());
        return newest_kernel(archive, ref);
    }();
    if (!newest) {
        if (progress)
            progress(ref.name + ": using the cached " + cached.release + " (cannot read " +
                     ref.suite + "'s package lists: " + newest.error().message() + ")");
        return cached;
    }
    if (newest->version == cached.version)
        return cached;
    if (progress)
        progress(ref.name + ": " + ref.suite + " now has " + newest->version + " (cached: " +
                 (cached.version.empty() ? cached.release : cached.version) + "); fetching it");
    return store_debian_kernel(archive, *newest, ref, cache, progress);
}
} // namespace

Result<KernelImage> fetch_debian_kernel(const KernelRef& ref, const fs::path& cache,
                                        const Progress& progress) {
    auto lock = lock_kernel_cache(cache, progress);
    if (!lock)
        return std::unexpected(lock.error());
    DebianArchive archive = debian_archive(cache, ref.suite);
    if (auto s = archive.update(progress); !s)
        return std::unexpected(s.error());
    auto newest = newest_kernel(archive, ref);
    if (!newest)
        return std::unexpected(newest.error());
    return store_debian_kernel(archive, *newest, ref, cache, progress);
}

Result<KernelImage> resolve_kernel(const KernelRef& ref, const fs::path& cache,
                                   const std::string& modules_dir, const Progress& progress) {
    switch (ref.kind) {
    case KernelRef::Kind::Host:
        return fail("the host kernel runs no guest");
    case KernelRef::Kind::Path: {
        if (!fs::is_regular_file(ref.path))
            return fail("kernel image " + ref.path + " is not a file", ENOENT);
        KernelImage k{.name = ref.name, .vmlinuz = ref.path, .origin = ref.path};
        if (!modules_dir.empty()) {
            if (!fs::exists(fs::path(modules_dir) / "modules.dep"))
                return fail("--modules " + modules_dir +
                            ": expected a lib/modules/RELEASE directory with modules.dep");
            k.modules = modules_dir;
            k.release = fs::path(modules_dir).filename().string();
        }
        return k;
    }
    case KernelRef::Kind::Debian: {
        auto k = cached_kernel(ref, cache);
        if (!k)
            k = fetch_debian_kernel(ref, cache, progress);
        else if (!ref.suite.empty())
            k = refreshed_suite_kernel(ref, *k, cache, progress);
        // The run's name for it is the user's (debian:rc), as its cells are named; the cache's
        // entry is debian:experimental however it was asked for.
        if (k)
            k->name = ref.name;
        return k;
    }
    case KernelRef::Kind::Built:
        if (auto k = cached_kernel(ref, cache)) {
            k->name = ref.name; // built:netdevsim-6.12 is built:netdevsim's entry
            return k;
        }
        // A build takes about half an hour on two CPUs: never started behind a run's back.
        return fail("not built yet (nothing at " + (cache / cache_key(ref)).string() +
                    "): run `hookmatrix kernels build" +
                    (ref.series == kDefaultBuiltSeries ? "" : " --series " + ref.series) +
                    "` first (about 30 minutes)");
    }
    return fail("unknown kernel kind");
}

} // namespace hm
