#include "runners/throughput_cell.h"

#include "core/proc_stat.h"
#include "runners/cell_rig.h"
#include "runners/judge.h"
#include "runners/traffic/packet_blaster.h"

#include <fmt/format.h>

#include <thread>

namespace hm {

namespace {
ThroughputResult from_error(ThroughputResult r, const Error& e) {
    r.verdict = verdict_for(e);
    r.reason = e.message();
    if (!e.detail.empty())
        r.reason += " (" + e.detail.substr(0, 400) + ")";
    return r;
}

// The generator writes frames on the far end of a veth or on lo itself.
bool device_supported(const DeviceSpec& device, std::string& why) {
    switch (device.kind) {
    case DeviceKind::Veth:
    case DeviceKind::Lo: return true;
    case DeviceKind::Tap:
        why = "a tap's far side is a file descriptor, where one write(2) per frame would measure "
              "the system call rather than the hook; bench drives veth and lo";
        return false;
    case DeviceKind::Netdevsim:
        why = "netdevsim has no datapath to load; bench drives veth and lo";
        return false;
    }
    why = "bench drives veth and lo only";
    return false;
}

// Why the cell cannot be measured here, or nothing.
std::optional<std::string> unsupported_because(const Cell& cell, KernelFeatures& features) {
    std::string why;
    if (!device_supported(*cell.device, why) || !throughput_supports(*cell.hook, why))
        return why;
    for (Support s : {features.device(*cell.device), features.hook(*cell.hook)})
        if (!s.supported)
            return s.reason;
    return std::nullopt;
}

std::uint64_t now_ns() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

std::string mpps(double pps) {
    return fmt::format("{:.3f} Mpps", pps / 1e6);
}

// One measured window: the counter, the frames sent and the CPUs' busy time at both ends.
Result<ThroughputWindow> measure_window(const ThroughputCounter& counter,
                                        const PacketBlaster& blaster,
                                        std::chrono::milliseconds length) {
    auto c0 = counter.counted();
    auto cpu0 = read_cpu_times();
    const std::uint64_t s0 = blaster.sent(), t0 = now_ns();
    std::this_thread::sleep_for(length);
    auto c1 = counter.counted();
    const std::uint64_t s1 = blaster.sent(), t1 = now_ns();
    auto cpu1 = read_cpu_times();
    for (const auto* c : {&c0, &c1})
        if (!*c)
            return std::unexpected(c->error());
    for (const auto* c : {&cpu0, &cpu1})
        if (!*c)
            return std::unexpected(c->error());
    ThroughputWindow w{.seconds = static_cast<double>(t1 - t0) / 1e9,
                       .counted = *c1 - *c0,
                       .sent = s1 - s0,
                       .cpu_busy_per_cpu = busy_share(*cpu0, *cpu1)};
    for (double b : w.cpu_busy_per_cpu)
        w.cpu_busy += b;
    return w;
}

// The verdict once the windows are in: pass with the figures, or fail when nothing was counted.
ThroughputResult judge_windows(ThroughputResult r, const ThroughputOptions& options) {
    std::uint64_t counted = 0, sent = 0;
    for (const auto& w : r.windows) {
        counted += w.counted;
        sent += w.sent;
    }
    if (counted == 0) {
        r.verdict = Verdict::Fail;
        r.reason = fmt::format("the program at {} counted no packet while the generator sent {}",
                               r.hook, sent);
        return r;
    }
    r.verdict = Verdict::Pass;
    r.reason = fmt::format("{} counted (median of {} windows of {:.2f} s; {} .. {}), {:.0f} ns "
                           "of CPU {} per packet, {:.2f} CPUs busy in all",
                           mpps(r.pps_median()), r.windows.size(),
                           static_cast<double>(options.window.count()) / 1e3, mpps(r.pps_min()),
                           mpps(r.pps_max()), r.ns_per_packet_median(), options.generator_cpu,
                           r.cpu_busy_median());
    return r;
}
} // namespace

ThroughputResult run_throughput_cell(const Cell& cell, KernelFeatures& features,
                                     const ThroughputOptions& options, const std::string& kernel) {
    const HookSpec& hook = *cell.hook;
    ThroughputResult r{.hook = std::string(hook.name),
                       .device = std::string(cell.device->name),
                       .kernel = kernel,
                       .action = options.action == CounterAction::Drop ? "drop" : "pass",
                       .cpu_layout = options.cpu_layout,
                       .generator_cpu = options.generator_cpu};
    if (auto why = unsupported_because(cell, features)) {
        r.verdict = Verdict::Unsupported;
        r.reason = *why;
        return r;
    }
    // The generator is made after the rig, so it stops first: then the program detaches and
    // unloads, then the namespaces go.
    auto rig = CellRig::build(*cell.device, {});
    if (!rig)
        return from_error(std::move(r), rig.error());
    auto program = load_throughput_counter(hook, options.action);
    if (!program)
        return from_error(std::move(r), program.error());
    const ThroughputCounter& counter = **program;
    auto mounted = (*rig)->mount(hook, std::move(*program));
    if (!mounted)
        return from_error(std::move(r), mounted.error());
    r.attachment = (*mounted)->attachment->describe();
    auto blaster = PacketBlaster::open((*rig)->topology().far(), (*rig)->topology().near());
    if (!blaster)
        return from_error(std::move(r), blaster.error());
    r.method = (*blaster)->describe();
    if (auto s = (*blaster)->start(options.generator_cpu); !s)
        return from_error(std::move(r), s.error());
    std::this_thread::sleep_for(options.warm_up);
    for (unsigned k = 0; k < options.windows; ++k) {
        auto w = measure_window(counter, **blaster, options.window);
        if (!w)
            return from_error(std::move(r), w.error());
        r.windows.push_back(std::move(*w));
    }
    (*blaster)->stop();
    if (auto e = (*blaster)->error(); !e.empty()) {
        r.verdict = Verdict::Error;
        r.reason = "the generator stopped: " + e;
        return r;
    }
    return judge_windows(std::move(r), options);
}

} // namespace hm
