#include "runners/throughput_cell.h"

#include "core/proc_stat.h"
#include "core/spawn.h"
#include "core/trace_printk_event.h"
#include "runners/attach/attacher.h"
#include "runners/traffic/packet_blaster.h"
#include "runners/topology/topology.h"

#include <fmt/format.h>

#include <regex>
#include <sstream>
#include <thread>

namespace hm {

namespace {
ThroughputResult from_error(ThroughputResult r, const Error& e) {
    r.verdict = e.err == EOPNOTSUPP ? Verdict::Unsupported : Verdict::Error;
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

std::uint64_t now_ns() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                           std::chrono::steady_clock::now().time_since_epoch())
                                           .count());
}

std::string mpps(double pps) { return fmt::format("{:.3f} Mpps", pps / 1e6); }
} // namespace

ThroughputResult run_throughput_cell(const Cell& cell, KernelFeatures& features, const ThroughputOptions& options,
                           const std::string& kernel) {
    const HookSpec& hook = *cell.hook;
    ThroughputResult r{.hook = std::string(hook.name),
                  .device = std::string(cell.device->name),
                  .kernel = kernel,
                  .action = options.action == CounterAction::Drop ? "drop" : "pass",
                  .cpu_layout = options.cpu_layout,
                  .generator_cpu = options.generator_cpu};
    std::string why;
    if (!device_supported(*cell.device, why) || !throughput_supports(hook, why)) {
        r.verdict = Verdict::Unsupported;
        r.reason = why;
        return r;
    }
    for (Support s : {features.device(*cell.device), features.hook(hook)})
        if (!s.supported) {
            r.verdict = Verdict::Unsupported;
            r.reason = s.reason;
            return r;
        }
    // Construction order is teardown order reversed: the generator stops, the program detaches
    // and unloads, then the namespaces go.
    auto topo = build_topology(*cell.device);
    if (!topo)
        return from_error(std::move(r), topo.error());
    const Endpoint& near = (*topo)->near();
    auto program = load_throughput_counter(hook, options.action);
    if (!program)
        return from_error(std::move(r), program.error());
    auto attachment = attacher_for(hook.family)
                          .attach({.ns = near.ns, .ifname = near.ifname, .ifindex = near.ifindex},
                                  hook, **program);
    if (!attachment)
        return from_error(std::move(r), attachment.error());
    r.attachment = (*attachment)->describe();
    auto blaster = PacketBlaster::open((*topo)->far(), near);
    if (!blaster)
        return from_error(std::move(r), blaster.error());
    r.method = (*blaster)->describe();
    if (auto s = (*blaster)->start(options.generator_cpu); !s)
        return from_error(std::move(r), s.error());
    std::this_thread::sleep_for(options.warm_up);
    for (unsigned k = 0; k < options.windows; ++k) {
        auto c0 = (*program)->counted();
        auto cpu0 = read_cpu_times();
        const std::uint64_t s0 = (*blaster)->sent(), t0 = now_ns();
        std::this_thread::sleep_for(options.window);
        auto c1 = (*program)->counted();
        const std::uint64_t s1 = (*blaster)->sent(), t1 = now_ns();
        auto cpu1 = read_cpu_times();
        for (const auto* c : {&c0, &c1})
            if (!*c)
                return from_error(std::move(r), c->error());
        for (const auto* c : {&cpu0, &cpu1})
            if (!*c)
                return from_error(std::move(r), c->error());
        ThroughputWindow w{.seconds = static_cast<double>(t1 - t0) / 1e9,
                      .counted = *c1 - *c0,
                      .sent = s1 - s0,
                      .cpu_busy_per_cpu = busy_share(*cpu0, *cpu1)};
        for (double b : w.cpu_busy_per_cpu)
            w.cpu_busy += b;
        r.windows.push_back(std::move(w));
    }
    (*blaster)->stop();
    if (auto e = (*blaster)->error(); !e.empty()) {
        r.verdict = Verdict::Error;
        r.reason = "the generator stopped: " + e;
        return r;
    }
    std::uint64_t counted = 0, sent = 0;
    for (const auto& w : r.windows) {
        counted += w.counted;
        sent += w.sent;
    }
    if (counted == 0) {
        r.verdict = Verdict::Fail;
        r.reason = fmt::format("the program at {} counted no packet while the generator sent {}",
                               hook.name, sent);
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

std::optional<double> parse_xdp_bench_rate(const std::string& output) {
    static const std::regex summary(R"(Summary\s+([0-9][0-9,]*)\s+rx/s)");
    std::vector<double> rates;
    for (std::sregex_iterator it(output.begin(), output.end(), summary), end; it != end; ++it) {
        std::string digits;
        for (char c : (*it)[1].str())
            if (c != ',')
                digits += c;
        rates.push_back(std::stod(digits));
    }
    if (rates.empty())
        return std::nullopt;
    // The first interval includes the attach; drop it when there are others.
    if (rates.size() > 2)
        rates.erase(rates.begin());
    return median(rates);
}

namespace {
// One `xdp-bench drop -m MODE dut` on a fresh veth topology under load. The tool runs until
// SIGINT, so coreutils timeout(1) sends one after the measured time.
Result<double> xdp_bench_once(const std::string& mode, const ThroughputOptions& options) {
    auto topo = build_veth_topology();
    if (!topo)
        return std::unexpected(topo.error());
    const Endpoint& near = (*topo)->near();
    auto blaster = PacketBlaster::open((*topo)->far(), near);
    if (!blaster)
        return std::unexpected(blaster.error());
    if (auto s = (*blaster)->start(options.generator_cpu); !s)
        return std::unexpected(s.error());
    const auto seconds = std::max<long>(
        3, static_cast<long>((options.window * options.windows).count() / 1000) + 1);
    const std::vector<std::string> argv{"timeout", "-s", "INT", std::to_string(seconds),
                                        "xdp-bench", "drop",  "-i",  "1",
                                        "-m",       mode,     near.ifname};
    Result<SpawnResult> out = [&]() -> Result<SpawnResult> {
        // The child inherits this thread's namespace: xdp-bench sees only the cell's devices.
        auto scope = NetnsScope::enter(near.ns);
        if (!scope)
            return std::unexpected(scope.error());
        return spawn(argv, std::chrono::seconds(seconds + 10));
    }();
    (*blaster)->stop();
    if (!out)
        return std::unexpected(out.error());
    if (auto rate = parse_xdp_bench_rate(out->out))
        return *rate;
    std::string text = out->err + out->out;
    std::string why = fmt::format("xdp-bench drop -m {} exited with {} and printed no rate", mode,
                                  out->exit_code);
    if (text.find("xdp_redirect_map") != std::string::npos)
        why += "; it needs the xdp_redirect_map tracepoints, which this kernel lacks (a known "
               "limit of xdp-tools 1.3.1)";
    // The tool's own last words say the rest.
    std::istringstream lines(text);
    std::string line, last;
    while (std::getline(lines, line))
        if (line.find_first_not_of(" \t") != std::string::npos && line.find("libbpf:") == std::string::npos)
            last = line;
    if (!last.empty())
        why += " (\"" + last + "\")";
    return fail(why);
}
} // namespace

void cross_check_with_xdp_bench(ThroughputRatio& ratio, const ThroughputOptions& options) {
    if (!find_program("xdp-bench")) {
        ratio.xdp_bench_note = "xdp-bench is not installed (Debian package xdp-tools): no "
                               "cross-check";
        return;
    }
    if (!find_program("timeout")) {
        ratio.xdp_bench_note = "timeout(1) is missing, which stops xdp-bench: no cross-check";
        return;
    }
    // xdp-tools' programs call bpf_trace_printk, so loading them switches the host's
    // bpf_trace_printk event on: put it back as it was.
    std::optional<TracePrintkEventState> printk_event;
    if (auto state = TracePrintkEventState::save())
        printk_event.emplace(std::move(*state));
    auto native = xdp_bench_once("native", options);
    if (!native) {
        ratio.xdp_bench_note = native.error().message();
        return;
    }
    auto skb = xdp_bench_once("skb", options);
    if (!skb) {
        ratio.xdp_bench_note = skb.error().message();
        return;
    }
    ratio.xdp_bench_native_pps = *native;
    ratio.xdp_bench_skb_pps = *skb;
    if (*skb > 0)
        ratio.xdp_bench = *native / *skb;
    else
        ratio.xdp_bench_note = "xdp-bench counted no packet in skb mode";
}

} // namespace hm
