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
// The headline of a device that had either XDP mode measured.
ThroughputRatio ratio_on(const std::string& device, const RunResult& result,
                         const ThroughputRequest& req) {
    ThroughputRatio ratio{.device = device, .kernel = result.run.kernel_release};
    ratio.hookmatrix =
        xdp_mode_ratio(result.throughput, device, ratio.kernel, ratio.hookmatrix_note);
    if (device != "veth")
        ratio.xdp_bench_note = "the xdp-bench cross-check runs on veth only";
    else if (!req.xdp_bench)
        ratio.xdp_bench_note = "not run (--no-xdp-bench)";
    else if (req.options.action == CounterAction::Pass)
        ratio.xdp_bench_note = "not run: xdp-bench drop compares with --action drop only";
    else
        cross_check_with_xdp_bench(ratio, req.options);
    return ratio;
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
    reporters.begin(result.run, req.cells.size());
    reporters.note(fmt::format("hookmatrix {} bench: {} cells on kernel {}, {} windows of {:g} s "
                               "each, action {}\n{}",
                               result.run.tool_version, req.cells.size(), result.run.kernel_release,
                               o.windows, static_cast<double>(o.window.count()) / 1e3,
                               o.action == CounterAction::Pass ? "pass" : "drop", o.cpu_layout));
    auto features = running_kernel_features();
    const auto t0 = std::chrono::steady_clock::now();
    for (const Cell& cell : req.cells) {
        if (stop)
            break;
        result.throughput.push_back(
            run_throughput_cell(cell, *features, o, result.run.kernel_release));
        reporters.throughput(result.throughput.back());
    }
    std::vector<std::string> devices;
    for (const auto& b : result.throughput)
        if ((b.hook == "xdpdrv" || b.hook == "xdpgeneric") &&
            std::ranges::find(devices, b.device) == devices.end())
            devices.push_back(b.device);
    for (const auto& device : devices) {
        if (stop)
            break;
        result.throughput_ratios.push_back(ratio_on(device, result, req));
        reporters.throughput_ratio(result.throughput_ratios.back());
    }
    result.run.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out.written = reporters.end(result);
    out.interrupted = stop;
    return out;
}

} // namespace hm
