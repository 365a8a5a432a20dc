#include "runners/source_ceiling.h"

#include "runners/attach/attacher.h"
#include "runners/programs/throughput_counter.h"
#include "runners/throughput_window.h"

#include <thread>

namespace hm {

namespace {
// The windows of a started source, counting what it got out.
Result<std::vector<ThroughputWindow>> source_windows(TrafficSource& source,
                                                     const ThroughputOptions& options) {
    if (auto s = source.start(options.generator_cpu); !s)
        return std::unexpected(s.error());
    std::this_thread::sleep_for(options.warm_up);
    const Count sent = [&]() -> Result<std::uint64_t> { return source.sent(); };
    std::vector<ThroughputWindow> windows;
    for (unsigned k = 0; k < options.windows; ++k) {
        auto w = measure_window(sent, source, options.generator_cpu, options.window);
        if (!w)
            return std::unexpected(w.error());
        windows.push_back(std::move(*w));
    }
    source.stop();
    if (auto e = source.error(); !e.empty())
        return fail("the source stopped: " + e);
    return windows;
}
} // namespace

Result<SourceCeiling> measure_source_ceiling(SourceKind kind, const CellRig& rig,
                                             const ThroughputOptions& options) {
    const Endpoint& far = rig.topology().far();
    const Endpoint& near = rig.topology().near();
    const SourceOptions alone{.max_pps = options.source_max_pps, .alone = true};
    SourceCeiling ceiling;
    // The taker at the far device's egress, for the skb source; made before the source, so that
    // it goes after it.
    std::unique_ptr<Program> taker;
    std::unique_ptr<Attachment> taken;
    if (kind == SourceKind::Skb) {
        const HookSpec* egress = find_hook("tc-egress");
        if (!egress)
            return fail("the hook catalogue has no tc-egress row");
        auto program = load_throughput_counter(*egress, CounterAction::Consume);
        if (!program)
            return std::unexpected(program.error());
        taker = std::move(*program);
        auto attached = attacher_for(egress->family)
                            .attach({.ns = far.ns, .ifname = far.ifname, .ifindex = far.ifindex},
                                    *egress, *taker);
        if (!attached)
            return std::unexpected(attached.error());
        taken = std::move(*attached);
        ceiling.method = "the same source sending through the qdisc layer to a tc egress program "
                         "on " + far.ifname + " that takes every frame (TC_ACT_STOLEN)";
    } else {
        ceiling.method = "the same source with a program that drops every frame instead of "
                         "redirecting it";
    }
    auto source = open_source(kind, far, near, alone);
    if (!source)
        return std::unexpected(source.error());
    auto windows = source_windows(**source, options);
    if (!windows)
        return std::unexpected(windows.error());
    ceiling.windows = std::move(*windows);
    return ceiling;
}

} // namespace hm
