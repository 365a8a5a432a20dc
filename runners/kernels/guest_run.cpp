#include "runners/kernels/guest_run.h"

#include "core/janitor.h"
#include "matrix/results/results_json.h"
#include "runners/kernels/guest_image.h"
#include "runners/kernels/guest_results.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace hm {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

std::string guest_spec_json(const std::vector<Cell>& cells) {
    std::vector<std::string> hooks, devices;
    std::set<std::pair<std::string, std::string>> wanted;
    for (const Cell& c : cells) {
        if (std::ranges::find(hooks, c.hook->name) == hooks.end())
            hooks.emplace_back(c.hook->name);
        if (std::ranges::find(devices, c.device->name) == devices.end())
            devices.emplace_back(c.device->name);
        wanted.emplace(c.hook->name, c.device->name);
    }
    json spec{{"hooks", hooks}, {"devices", devices}, {"kernels", json::array({"host"})}};
    // The axes' product holds pairs the host's plan left out (its spec's exclusions): name them.
    json exclude = json::array();
    for (const auto& h : hooks)
        for (const auto& d : devices)
            if (!wanted.contains({h, d}))
                exclude.push_back({{"hook", h}, {"device", d}});
    if (!exclude.empty())
        spec["exclude"] = std::move(exclude);
    json include = json::array();
    for (const Cell& c : cells) {
        json entry{{"hook", c.hook->name}, {"device", c.device->name}};
        if (c.settings.packets)
            entry["packets"] = *c.settings.packets;
        if (c.settings.reply_timeout_ms)
            entry["reply_timeout_ms"] = *c.settings.reply_timeout_ms;
        if (entry.size() > 2)
            include.push_back(std::move(entry));
    }
    if (!include.empty())
        spec["include"] = std::move(include);
    return json_text(spec) + "\n";
}

GuestOutcome failed_kernel(const std::string& name, const std::vector<Cell>& cells,
                           const std::string& why, const std::string& detail) {
    GuestOutcome out;
    out.info.name = name;
    out.info.error = why;
    for (const Cell& c : cells) {
        CellResult r;
        r.hook = c.hook->name;
        r.device = c.device->name;
        r.kernel = name;
        r.verdict = Verdict::Error;
        r.reason = "kernel " + name + ": " + why;
        r.detail = detail;
        out.cells.push_back(std::move(r));
    }
    return out;
}

namespace {
GuestJob job_for(const std::vector<Cell>& cells, const GuestRunOptions& o) {
    GuestJob job;
    job.texts.emplace_back("/hookmatrix/spec.json", guest_spec_json(cells));
    if (o.bench_args) {
        job.command = "bench";
        job.run_args = {"--spec", "/hookmatrix/spec.json", "-o",           "/out",
                        "--no-html", "--results-port", kGuestResultsPort};
        job.run_args.insert(job.run_args.end(), o.bench_args->begin(), o.bench_args->end());
        return job;
    }
    job.run_args = {"--spec",
                    "/hookmatrix/spec.json",
                    "-o",
                    "/out",
                    "--no-html",
                    "--no-junit",
                    "--no-markdown",
                    "--results-port",
                    kGuestResultsPort};
    if (o.packets)
        job.run_args.insert(job.run_args.end(), {"--packets", std::to_string(*o.packets)});
    if (o.reply_timeout_ms)
        job.run_args.insert(job.run_args.end(),
                            {"--reply-timeout", std::to_string(*o.reply_timeout_ms)});
    if (o.choir)
        job.run_args.push_back("--choir");
    if (o.trace)
        job.run_args.push_back("--trace");
    int n = 0;
    for (const auto& [hook, obj] : o.objects) {
        const std::string at =
            fmt::format("/hookmatrix/objects/{}-{}", ++n, fs::path(obj.path).filename().string());
        job.files.emplace_back(at, obj.path);
        std::string spec = hook == "*" ? at : hook + "=" + at;
        if (!obj.section.empty())
            spec += ":" + obj.section;
        job.run_args.insert(job.run_args.end(), {"--object", spec});
    }
    return job;
}

// "hookmatrix-guest: up 1.23 6.12.117+deb13-cloud-amd64"
void read_up_line(const std::string& console, KernelRun& info) {
    const auto at = console.find(kGuestUp);
    if (at == std::string::npos)
        return;
    std::istringstream line(console.substr(at + std::string_view(kGuestUp).size(), 200));
    line >> info.boot_s >> info.release;
}

// A scratch directory under $TMPDIR with a name no one can guess, made and (even when hookmatrix is
// killed) removed by its janitor, which removes nothing but the directory it made.
struct Scratch {
    fs::path dir;
    Janitor janitor;
    static Result<Scratch> make(const std::string& key) {
        const char* tmp = std::getenv("TMPDIR");
        auto tree = Janitor::make_temp_tree(
            fmt::format("{}/hookmatrix-guest-{}-", tmp && *tmp ? tmp : "/tmp", key));
        if (!tree)
            return std::unexpected(tree.error());
        return Scratch{tree->path, std::move(tree->janitor)};
    }
};
} // namespace

GuestOutcome run_in_guest(const KernelImage& kernel, const std::vector<Cell>& cells,
                          const GuestRunOptions& options, const VmOptions& vm,
                          const Progress& progress) {
    const std::string& name = kernel.name;
    std::string key = name;
    for (char& c : key)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.')
            c = '_';
    auto scratch = Scratch::make(key.substr(0, 40));
    if (!scratch)
        return failed_kernel(name, cells, scratch.error().message());
    auto accel = choose_accel(vm.accel, kernel, scratch->dir,
                              vm.cache.empty() ? fs::path() : vm.cache / "accel-probe");
    if (!accel)
        return failed_kernel(name, cells, accel.error().message());
    const fs::path initramfs = scratch->dir / "initramfs.cpio";
    if (auto s = build_initramfs(kernel, job_for(cells, options), initramfs, scratch->dir); !s)
        return failed_kernel(name, cells, "build the guest's initramfs: " + s.error().message(),
                             s.error().detail);
    GuestMachine machine = vm.machine;
    machine.accel = accel->accel;
    if (progress)
        progress(fmt::format("kernel {}: booting {} cells in a {} guest ({})", name, cells.size(),
                             to_string(machine.accel), accel->why));
    auto boot = boot_guest(kernel, initramfs, machine, scratch->dir);
    if (!boot)
        return failed_kernel(name, cells, "qemu: " + boot.error().message(), boot.error().detail);
    if (!vm.console_dir.empty())
        std::ofstream(vm.console_dir / ("console-" + key + ".log")) << boot->console;
    KernelRun info{.name = name,
                   .release = kernel.release,
                   .how = std::string(to_string(machine.accel)),
                   .origin = kernel.origin,
                   .wall_s = boot->wall_s};
    read_up_line(boot->console, info);
    auto fault = [&](const std::string& why) {
        GuestOutcome out = failed_kernel(name, cells, why, console_tail(boot->console));
        info.error = why;
        out.info = info;
        for (auto& c : out.cells)
            if (!info.release.empty())
                c.kernel = info.release;
        return out;
    };
    if (boot->timed_out)
        return fault(
            fmt::format("the guest did not finish within {} s (hung?)", machine.timeout.count()));
    if (const std::string panic = panic_summary(boot->console); !panic.empty())
        return fault("the guest's kernel panicked (" + panic + ")");
    auto text = find_framed(boot->port);
    if (!text)
        return fault(text.error().message() + (boot->console.find(kGuestUp) == std::string::npos
                                                   ? " (it never reached /init)"
                                                   : ""));
    const fs::path results = scratch->dir / "results.json";
    std::ofstream(results) << *text;
    auto run = read_results_file(results.string());
    if (!run)
        return fault("its results.json: " + run.error().message());
    GuestOutcome out;
    info.release = run->run.kernel_release;
    out.info = info;
    out.cells = std::move(run->cells);
    out.choirs = std::move(run->choirs);
    out.throughput = std::move(run->throughput);
    out.throughput_ratios = std::move(run->throughput_ratios);
    return out;
}

} // namespace hm
