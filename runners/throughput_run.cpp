#include "runners/throughput_run.h"

#include "core/cpu_pin.h"
#include "matrix/features.h"
#include "runners/xdp_bench.h"

#include <fmt/format.h>

#include <algorithm>

namespace hm {

Result<CpuPlan> plan_cpus(std::optional<int> wanted) {
    auto cpus = allowed_cpus();
    if (!cpus)
        return std::unexpected(cpus.error());
    if (cpus->empty())
        return fail("this process may run on no CPU");
    CpuPlan p;
    p.generator = wanted.value_or(cpus->back());
    if (std::ranges::find(*cpus, p.generator) == cpus->end())
        return fail("CPU " + std::to_string(p.generator) + " is not one this process may use");
    auto other = std::ranges::find_if(*cpus, [&](int c) { return c != p.generator; });
    p.control = other == cpus->end() ? p.generator : *other;
    p.layout = fmt::format(
        "generator on CPU {} (veth and lo deliver in the sender's softirq, so the hook runs "
        "there too); hookmatrix's control thread on CPU {}{}",
        p.generator, p.control,
        p.control == p.generator ? ", the same: it sleeps through each window"
                                 : ", asleep during each window");
    return p;
}

namespace {
// The headline of a device and source that had either XDP mode measured.
ThroughputRatio ratio_on(const std::string& device, SourceKind source, const RunResult& result,
                         const ThroughputRequest& req) {
    ThroughputRatio ratio{.device = device,
                          .kernel = result.run.kernel_release,
                          .source = std::string(to_string(source))};
    fill_xdp_mode_ratio(ratio, result.throughput);
    if (device != "veth")
        ratio.xdp_bench_note = "the xdp-bench cross-check runs on veth only";
    else if (!req.xdp_bench)
        ratio.xdp_bench_note = "not run (--no-xdp-bench)";
    else if (req.options.action == CounterAction::Pass)
        ratio.xdp_bench_note = "not run: xdp-bench drop compares with --action drop only";
    else
        cross_check_with_xdp_bench(ratio, source, req.options, req.xdp_bench_path);
    return ratio;
}

std::string source_names(const std::vector<SourceKind>& sources) {
    std::string out;
    for (SourceKind s : sources)
        out += (out.empty() ? "" : ", ") + std::string(to_string(s));
    return out;
}
} // namespace

std::vector<std::string> guest_bench_args(const ThroughputRequest& req) {
    const ThroughputOptions& o = req.options;
    std::vector<std::string> args{
        "--seconds",
        fmt::format("{:g}", static_cast<double>(o.window.count()) / 1e3),
        "--windows",
        std::to_string(o.windows),
        "--action",
        o.action == CounterAction::Pass ? "pass" : "drop",
        "--source",
        req.sources.size() == 1 ? std::string(to_string(req.sources.front())) : "both",
        // The guest's initramfs carries no xdp-tools.
        "--no-xdp-bench"};
    if (o.source_max_pps)
        args.insert(args.end(), {"--source-max-pps", fmt::format("{:g}", *o.source_max_pps)});
    return args;
}

namespace {
// The cells of a guest that gave no results.json, as errors with its reason.
void guest_failed(const GuestOutcome& guest, const std::vector<Cell>& cells,
                  const ThroughputRequest& req, std::vector<ThroughputResult>& out) {
    const std::vector<SourceKind>& sources = req.sources;
    for (SourceKind source : sources)
        for (const Cell& c : cells)
            out.push_back({.hook = std::string(c.hook->name),
                           .device = std::string(c.device->name),
                           .kernel = guest.info.release.empty() ? c.kernel : guest.info.release,
                           .source = std::string(to_string(source)),
                           .verdict = Verdict::Error,
                           .reason = "kernel " + guest.info.name + ": " + guest.info.error,
                           .action = req.options.action == CounterAction::Pass ? "pass"
                                                                               : "drop"});
}
} // namespace

bool ThroughputOutcome::ok() const {
    return std::ranges::none_of(result.throughput, [](const ThroughputResult& b) {
        return b.verdict == Verdict::Fail || b.verdict == Verdict::Error;
    });
}

ThroughputOutcome run_throughput(const ThroughputRequest& req, Reporter& reporters,
                                 const std::atomic<bool>& stop) {
    ThroughputOutcome out;
    RunResult& result = out.result;
    result.run = req.info;
    const ThroughputOptions& o = req.options;
    const std::size_t total = req.cells.size() * req.sources.size();
    reporters.begin(result.run, total);
    reporters.note(fmt::format("hookmatrix {} bench: {} cells on kernel {} ({} x sources {}), {} "
                               "windows of {:g} s each and as many for each source's ceiling, "
                               "action {}\n{}",
                               result.run.tool_version, total, result.run.kernel_release,
                               req.cells.size(), source_names(req.sources), o.windows,
                               static_cast<double>(o.window.count()) / 1e3,
                               o.action == CounterAction::Pass ? "pass" : "drop", o.cpu_layout));
    auto features = running_kernel_features();
    if (std::ranges::find(req.sources, SourceKind::Xdp) != req.sources.end())
        if (Support live = features->xdp_live_frames(); !live.supported)
            reporters.note("no XDP-frame source on this kernel: " + live.reason +
                           "; its cells say so, and the skb source runs");
    const auto t0 = std::chrono::steady_clock::now();
    // The other kernels' cells, by kernel in plan order, for their guests after the host's.
    std::vector<KernelCells> guests;
    for (const Cell& cell : req.cells) {
        if (cell.kernel == "host")
            continue;
        auto it = std::ranges::find(guests, cell.kernel, &KernelCells::kernel);
        if (it == guests.end())
            it = guests.insert(guests.end(), {cell.kernel, {}});
        it->cells.push_back(cell);
    }
    std::vector<const Cell*> host;
    for (const Cell& cell : req.cells)
        if (cell.kernel == "host")
            host.push_back(&cell);
    for (SourceKind source : req.sources) {
        if (host.empty() || stop)
            break;
        auto visit = [&](unsigned pass) {
            reporters.note(fmt::format("source {}: window {} of {} of each of {} cells (in turns)",
                                       to_string(source), pass + 1, o.windows, host.size()));
        };
        for (ThroughputResult& r : run_throughput_interleaved(
                 host, source, *features, o, result.run.kernel_release, stop, visit)) {
            if (r.hook.empty())
                continue; // not reached before a stop
            result.throughput.push_back(std::move(r));
            reporters.throughput(result.throughput.back());
        }
    }
    std::vector<std::pair<std::string, std::string>> devices; // (source, device)
    for (const auto& b : result.throughput)
        if ((b.hook == "xdpdrv" || b.hook == "xdpgeneric") &&
            std::ranges::find(devices, std::pair{b.source, b.device}) == devices.end())
            devices.emplace_back(b.source, b.device);
    for (const auto& [source, device] : devices) {
        if (stop)
            break;
        result.throughput_ratios.push_back(ratio_on(device, *source_kind(source), result, req));
        reporters.throughput_ratio(result.throughput_ratios.back());
    }
    if (!guests.empty() && !stop) {
        KernelAxisOptions axis = req.guests;
        axis.guest.bench_args = guest_bench_args(req);
        auto done = [&](GuestOutcome guest) {
            const KernelRun& k = guest.info;
            reporters.note(k.error.empty()
                               ? fmt::format("kernel {} ({}): booted in {:.1f} s, done in {:.1f} "
                                             "s in a {} guest",
                                             k.name, k.release, k.boot_s, k.wall_s, k.how)
                               : "kernel " + k.name + ": " + k.error);
            result.run.kernel_runs.push_back(k);
            if (guest.throughput.empty()) {
                auto it = std::ranges::find(guests, k.name, &KernelCells::kernel);
                if (it != guests.end())
                    guest_failed(guest, it->cells, req, guest.throughput);
            }
            // Under TCG every instruction is emulated: the figures are the emulator's.
            const bool emulated = k.how == "tcg";
            for (auto& b : guest.throughput) {
                b.emulated = emulated;
                if (emulated && b.verdict == Verdict::Pass)
                    b.reason = "emulated (TCG guest; only ratios within this guest mean "
                               "anything): " + b.reason;
                result.throughput.push_back(std::move(b));
                reporters.throughput(result.throughput.back());
            }
            for (auto& ratio : guest.throughput_ratios) {
                ratio.emulated = emulated;
                ratio.xdp_bench_note = "not run in a guest: its initramfs carries no xdp-tools";
                result.throughput_ratios.push_back(std::move(ratio));
                reporters.throughput_ratio(result.throughput_ratios.back());
            }
        };
        run_kernels(
            guests, axis, [&](const std::string& line) { reporters.note(line); }, done, stop);
    }
    result.run.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out.written = reporters.end(result);
    out.interrupted = stop;
    return out;
}

} // namespace hm
