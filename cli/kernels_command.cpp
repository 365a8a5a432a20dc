#include "cli/commands.h"
#include "cli/exit.h"
#include "matrix/results/results_json.h"
#include "runners/kernels/build_series.h"
#include "runners/kernels/kernel_build.h"
#include "runners/kernels/kernel_cache.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <thread>

namespace hm::cli {

namespace {
struct KernelsArgs {
    std::string cache;
    bool json = false;
    bool refresh = false;
    std::vector<std::string> names;
    std::string build_name = "built:netdevsim";
    std::string series; // kernels build --series
    unsigned jobs = 0; // 0: one per CPU
};

// A kernel Debian serves, by the name that fetches it.
struct Served {
    std::string name; // "debian:6.12", "debian:sid"
    DebianKernel kernel;
};

std::filesystem::path cache_of(const KernelsArgs& a) {
    return a.cache.empty() ? default_kernel_cache() : std::filesystem::path(a.cache);
}

void say(const std::string& line) {
    std::cerr << line << std::endl;
}

int list(const KernelsArgs& a) {
    const auto cache = cache_of(a);
    const auto cached = cached_kernels(cache);
    // The archive's series, then sid's and experimental's newest, from lists fetched within a
    // day (or now, with --refresh).
    std::vector<Served> served;
    std::string archive_note;
    for (const char* suite : {"", "sid", "experimental"}) {
        DebianArchive archive = debian_archive(cache, suite);
        auto k = [&]() -> Result<std::vector<DebianKernel>> {
            if (auto s = archive.update(say, a.refresh); !s)
                return std::unexpected(s.error());
            return archive.kernels();
        }();
        if (!k)
            archive_note += (archive_note.empty() ? "" : "; ") + k.error().message();
        else if (*suite == '\0')
            for (auto& one : *k)
                served.push_back({"debian:" + one.series, std::move(one)});
        else if (!k->empty())
            served.push_back({std::string("debian:") + suite, std::move(k->back())});
    }
    if (a.json) {
        nlohmann::ordered_json doc{{"cache", cache.string()},
                                   {"cached", nlohmann::ordered_json::array()},
                                   {"debian", nlohmann::ordered_json::array()}};
        for (const auto& k : cached)
            doc["cached"].push_back({{"name", k.name},
                                     {"release", k.release},
                                     {"origin", k.origin},
                                     {"series", k.series},
                                     {"suite", k.suite},
                                     {"version", k.version},
                                     {"vmlinuz", k.vmlinuz.string()}});
        for (const auto& [name, k] : served)
            doc["debian"].push_back({{"name", name},
                                     {"series", k.series},
                                     {"version", k.version},
                                     {"package", k.image}});
        if (!archive_note.empty())
            doc["debian_error"] = archive_note;
        std::cout << json_text(doc) << "\n";
        return exit_code::ok;
    }
    std::cout << "kernel cache: " << cache.string() << "\n";
    if (cached.empty())
        std::cout << "  (empty)\n";
    for (const auto& k : cached)
        std::cout << fmt::format("  {:<20} {:<32} {}\n", k.name, k.release, k.origin);
    std::cout
        << "\nDebian's archive serves (hookmatrix run --kernels NAME fetches on first use):\n";
    if (!archive_note.empty())
        std::cout << "  (unknown: " << archive_note << ")\n";
    for (const auto& [name, k] : served)
        std::cout << fmt::format("  {:<20} {:<20} {}\n", name, k.version, k.image);
    if (std::ranges::none_of(cached,
                             [](const KernelImage& k) { return k.name == "built:netdevsim"; }))
        std::cout << "\nbuilt:netdevsim (a small kernel with netdevsim, from Debian's "
                  << kNetdevsimSourcePackage << "): not built yet; hookmatrix kernels build\n";
    std::cout << "built:netdevsim-SERIES from another linux-source (7.2, sid, ...): hookmatrix "
                 "kernels build --series SERIES\n";
    std::cout << "\nOther kernels: a path to a bzImage (with --modules DIR when it needs "
                 "modules).\n";
    return exit_code::ok;
}

// "NAME RELEASE (VMLINUZ, already in the cache; --refresh WHAT)" for a kernel not made again.
void say_cached(const KernelImage& k, std::string_view what) {
    std::cout << fmt::format("{} {} ({}, already in the cache; --refresh {})\n", k.name, k.release,
                             k.vmlinuz.string(), what);
}

int fetch(const KernelsArgs& a) {
    if (a.names.empty()) {
        std::cerr << "hookmatrix kernels fetch: name at least one kernel, e.g. debian:6.12\n";
        return exit_code::usage;
    }
    int rc = exit_code::ok;
    for (const auto& name : a.names) {
        auto ref = parse_kernel_ref(name);
        if (!ref || ref->kind != KernelRef::Kind::Debian) {
            std::cerr << "hookmatrix kernels fetch: " << name
                      << ": only Debian's kernels are fetched (debian:SERIES, debian:sid, "
                         "debian:experimental)\n";
            return exit_code::usage;
        }
        // A cached series stays until --refresh; a cached sid or experimental kernel is replaced
        // when its suite, read again once its lists are a day old, has a newer one.
        if (!a.refresh && ref->suite.empty())
            if (auto cached = cached_kernel(*ref, cache_of(a))) {
                say_cached(*cached, "fetches the newest again");
                continue;
            }
        auto k = a.refresh ? fetch_debian_kernel(*ref, cache_of(a), say)
                           : resolve_kernel(*ref, cache_of(a), "", say);
        if (!k) {
            std::cerr << "hookmatrix kernels fetch: " << name << ": " << k.error().message()
                      << "\n";
            if (!k.error().detail.empty())
                std::cerr << k.error().detail << "\n";
            rc = exit_code::environment;
            continue;
        }
        std::cout << fmt::format("{} {}{} ({})\n", k->name, k->release,
                                 k->suite.empty() ? "" : ", series " + k->series + " " + k->version,
                                 k->vmlinuz.string());
    }
    return rc;
}

int build(const KernelsArgs& a) {
    const std::string name = a.series.empty() ? a.build_name : built_kernel_name(a.series);
    auto ref = parse_kernel_ref(name);
    if (!ref || ref->kind != KernelRef::Kind::Built) {
        std::cerr << "hookmatrix kernels build: "
                  << (ref ? name + ": not a kernel hookmatrix builds" : ref.error().message())
                  << "\n";
        return exit_code::usage;
    }
    if (!a.series.empty() && a.build_name != "built:netdevsim" && a.build_name != name) {
        std::cerr << "hookmatrix kernels build: " << a.build_name << " and --series " << a.series
                  << " name different kernels; give one\n";
        return exit_code::usage;
    }
    if (!a.refresh)
        if (auto cached = cached_kernel(*ref, cache_of(a))) {
            say_cached(*cached, "builds it again");
            return exit_code::ok;
        }
    const unsigned jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
    auto k = build_netdevsim_kernel(cache_of(a), ref->series, jobs, say);
    if (!k) {
        std::cerr << "hookmatrix kernels build: " << k.error().message() << "\n";
        if (!k.error().detail.empty())
            std::cerr << k.error().detail << "\n";
        // A series the archive does not serve, or one without link_device, is the user's to fix.
        return k.error().unsupported() ? exit_code::usage : exit_code::environment;
    }
    std::cout << fmt::format("{} {} ({})\n", k->name, k->release, k->vmlinuz.string());
    return exit_code::ok;
}
} // namespace

Action add_kernels_command(CLI::App& sub) {
    auto args = std::make_shared<KernelsArgs>();
    sub.require_subcommand(1);
    sub.add_option("--kernel-cache", args->cache,
                   "the kernel cache (default: $HOOKMATRIX_KERNEL_CACHE, else "
                   "~/.cache/hookmatrix/kernels)")
        ->type_name("DIR");
    auto* l = sub.add_subcommand("list", "the kernels in the cache, and the Debian series the "
                                         "archive serves");
    l->add_flag("-j,--json", args->json, "JSON for scripts");
    l->add_flag("--refresh", args->refresh, "update Debian's package lists first");
    auto* f = sub.add_subcommand("fetch", "download Debian kernels into the cache (apt-get "
                                          "download through hookmatrix's own sources list; the "
                                          "system's apt configuration is left alone)");
    f->add_option("names", args->names,
                  "kernels, e.g. debian:6.12 debian:5.10 debian:sid debian:experimental (or "
                  "debian:rc)")
        ->required();
    f->add_flag("--refresh", args->refresh,
                "update the package lists and fetch again even when the cache holds the kernel "
                "(to pick up a newer build; debian:sid and debian:experimental are fetched again "
                "by themselves when their day-old lists name a newer one)");
    auto* b = sub.add_subcommand(
        "build", "compile built:netdevsim, a small kernel with netdevsim built in, from Debian's " +
                     std::string(kNetdevsimSourcePackage) +
                     ", or built:netdevsim-SERIES from another series' linux-source with --series "
                     "(tinyconfig + runners/kernels/netdevsim.config; about 30 minutes on 2 CPUs)");
    b->add_option("name", args->build_name,
                  "the kernel to build: built:netdevsim (from 6.12) or built:netdevsim-SERIES")
        ->default_str("built:netdevsim");
    b->add_option("--series", args->series,
                  "the linux-source series to build from: 6.12 (built:netdevsim), 7.2 "
                  "(built:netdevsim-7.2), sid (built:netdevsim-sid: whatever sid's source is); "
                  "only series the archive serves whose netdevsim has link_device (" +
                      std::string(kFirstLinkDeviceSeries) + "+) are accepted")
        ->type_name("SERIES");
    b->add_option("-j,--jobs", args->jobs, "parallel compile jobs (default: one per CPU)")
        ->check(CLI::Range(1u, 1024u));
    b->add_flag("--refresh", args->refresh,
                "build again even when the cache holds it (to pick up a newer source package)");
    b->footer("Example: nice -n 19 hookmatrix kernels build --series 7.2 && hookmatrix run "
              "--kernels built:netdevsim-7.2 --devices netdevsim -o out");
    sub.footer("Example: hookmatrix kernels fetch debian:6.12 debian:experimental && hookmatrix "
               "run --kernels host,debian:6.12,debian:experimental -o out");
    return [args, l, f, b](const std::string&) {
        if (l->parsed())
            return list(*args);
        if (f->parsed())
            return fetch(*args);
        if (b->parsed())
            return build(*args);
        return exit_code::usage;
    };
}

} // namespace hm::cli
