#include "runners/throughput_cell.h"

#include "runners/cell_rig.h"
#include "runners/judge.h"
#include "runners/source_ceiling.h"
#include "runners/throughput_window.h"
#include "runners/topology/gro.h"

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

// The skb source writes frames on the far end of a veth or on lo itself; the XDP-frame source
// redirects into the far end of a veth pair.
bool device_supported(const DeviceSpec& device, SourceKind source, std::string& why) {
    switch (device.kind) {
    case DeviceKind::Veth: return true;
    case DeviceKind::Lo:
        if (source == SourceKind::Skb)
            return true;
        why = "the XDP-frame source needs a device that takes redirected XDP frames "
              "(ndo_xdp_xmit) on the far side, and lo has no far side and no ndo_xdp_xmit; the "
              "skb source drives lo";
        return false;
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
std::optional<std::string> unsupported_because(const Cell& cell, SourceKind source,
                                               KernelFeatures& features) {
    std::string why;
    if (!device_supported(*cell.device, source, why) || !throughput_supports(*cell.hook, why))
        return why;
    for (Support s : {features.device(*cell.device), features.hook(*cell.hook)})
        if (!s.supported)
            return s.reason;
    if (source == SourceKind::Xdp)
        if (Support s = features.xdp_live_frames(); !s.supported)
            return s.reason + "; the skb source still runs";
    return std::nullopt;
}

std::string mpps(double pps) {
    return fmt::format("{:.3f} Mpps", pps / 1e6);
}

// What the ceiling adds to the reason: the source's own rate, and the flag when it applies.
std::string ceiling_words(const ThroughputResult& r) {
    if (r.ceiling.empty())
        return r.ceiling_method.empty() ? std::string() : "; " + r.ceiling_method;
    std::string out = fmt::format("; the source alone makes {} ({:.0f} ns per frame), the hook's "
                                  "rate is {:.0f}% of that",
                                  mpps(r.ceiling_pps()), r.ceiling_ns_per_frame(),
                                  100 * r.pps_median() / r.ceiling_pps());
    if (r.generator_bound())
        out += ": generator-bound, the figure is the source's, not the hook's";
    return out;
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
        r.reason = fmt::format("the program at {} counted no packet while the {} source sent {}",
                               r.hook, r.source, sent);
        return r;
    }
    r.verdict = Verdict::Pass;
    r.reason = fmt::format("{} counted (median of {} windows of {:.2f} s; {} .. {}), {:.0f} ns "
                           "of CPU {} per packet, {:.2f} CPUs busy in all",
                           mpps(r.pps_median()), r.windows.size(),
                           static_cast<double>(options.window.count()) / 1e3, mpps(r.pps_min()),
                           mpps(r.pps_max()), r.ns_per_packet_median(), options.generator_cpu,
                           r.cpu_busy_median()) +
               ceiling_words(r);
    return r;
}

const char* action_name(CounterAction action) {
    return action == CounterAction::Pass ? "pass" : "drop";
}
} // namespace

ThroughputResult run_throughput_cell(const Cell& cell, SourceKind source,
                                     KernelFeatures& features, const ThroughputOptions& options,
                                     const std::string& kernel) {
    const HookSpec& hook = *cell.hook;
    ThroughputResult r{.hook = std::string(hook.name),
                       .device = std::string(cell.device->name),
                       .kernel = kernel,
                       .source = std::string(to_string(source)),
                       .action = action_name(options.action),
                       .cpu_layout = options.cpu_layout,
                       .generator_cpu = options.generator_cpu,
                       .source_max_pps = options.source_max_pps};
    if (auto why = unsupported_because(cell, source, features)) {
        r.verdict = Verdict::Unsupported;
        r.reason = *why;
        return r;
    }
    // The source is made after the rig, so it stops first: then the program detaches and
    // unloads, then the namespaces go.
    auto rig = CellRig::build(*cell.device, {});
    if (!rig)
        return from_error(std::move(r), rig.error());
    const Endpoint& near = (*rig)->topology().near();
    if (source == SourceKind::Xdp) {
        if (auto s = enable_gro(near); !s)
            return from_error(std::move(r), s.error());
        r.receiver = "GRO on " + near.ifname + ": veth takes XDP frames from its peer only into "
                     "NAPI, which GRO or a native XDP program turns on (without either it drops "
                     "them); the same for both XDP modes";
    }
    auto program = load_throughput_counter(hook, options.action);
    if (!program)
        return from_error(std::move(r), program.error());
    const ThroughputCounter& counter = **program;
    auto mounted = (*rig)->mount(hook, std::move(*program));
    if (!mounted)
        return from_error(std::move(r), mounted.error());
    r.attachment = (*mounted)->attachment->describe();
    {
        auto traffic = open_source(source, (*rig)->topology().far(), near,
                                   {.max_pps = options.source_max_pps});
        if (!traffic)
            return from_error(std::move(r), traffic.error());
        r.method = (*traffic)->describe();
        if (auto s = (*traffic)->start(options.generator_cpu); !s)
            return from_error(std::move(r), s.error());
        std::this_thread::sleep_for(options.warm_up);
        const Count counted = [&] { return counter.counted(); };
        for (unsigned k = 0; k < options.windows; ++k) {
            auto w = measure_window(counted, **traffic, options.generator_cpu, options.window);
            if (!w)
                return from_error(std::move(r), w.error());
            r.windows.push_back(std::move(*w));
        }
        (*traffic)->stop();
        if (auto e = (*traffic)->error(); !e.empty()) {
            r.verdict = Verdict::Error;
            r.reason = "the generator stopped: " + e;
            return r;
        }
    }
    // The ceiling is the source's own figure: a failure to measure it leaves the cell's.
    if (options.ceiling) {
        if (auto c = measure_source_ceiling(source, **rig, options)) {
            r.ceiling = std::move(c->windows);
            r.ceiling_method = std::move(c->method);
        } else {
            r.ceiling_method = "the source's ceiling was not measured: " + c.error().message();
        }
    }
    return judge_windows(std::move(r), options);
}

std::vector<ThroughputResult> run_throughput_interleaved(
    std::span<const Cell* const> cells, SourceKind source, KernelFeatures& features,
    const ThroughputOptions& options, const std::string& kernel, const std::atomic<bool>& stop,
    const std::function<void(unsigned pass)>& visit) {
    ThroughputOptions one = options;
    one.windows = 1;
    std::vector<ThroughputResult> out(cells.size());
    std::vector<bool> done(cells.size(), false);
    for (unsigned pass = 0; pass < options.windows && !stop; ++pass) {
        visit(pass);
        for (std::size_t i = 0; i < cells.size() && !stop; ++i) {
            if (done[i])
                continue;
            ThroughputResult r = run_throughput_cell(*cells[i], source, features, one, kernel);
            if (r.verdict != Verdict::Pass) {
                if (pass > 0 && r.verdict != Verdict::Unsupported)
                    r.reason = fmt::format("window {} of {}: {}", pass + 1, options.windows,
                                           r.reason);
                out[i] = std::move(r);
                done[i] = true;
            } else if (pass == 0) {
                out[i] = std::move(r);
            } else {
                out[i].windows.insert(out[i].windows.end(), r.windows.begin(), r.windows.end());
                out[i].ceiling.insert(out[i].ceiling.end(), r.ceiling.begin(), r.ceiling.end());
            }
        }
    }
    for (std::size_t i = 0; i < cells.size(); ++i)
        if (!done[i] && out[i].verdict == Verdict::Pass)
            out[i] = judge_windows(std::move(out[i]), options);
    return out;
}

} // namespace hm
