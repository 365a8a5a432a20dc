#include "runners/programs/throughput_counter.h"

#include "runners/programs/skeleton.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/pkt_cls.h>

#include <vector>

// The skeletons name struct hm_throughput_config; it must be complete before them.
#include "hookmatrix/throughput.h"
#include "throughput_skb.skel.h"
#include "throughput_xdp.skel.h"

namespace hm {

HM_SKELETON(throughput_xdp);
HM_SKELETON(throughput_skb);

namespace {
template <class Skel> class Counter final : public SkeletonProgram<Skel, ThroughputCounter> {
public:
    using SkeletonProgram<Skel, ThroughputCounter>::SkeletonProgram;
    Result<std::uint64_t> counted() const override {
        const int cpus = libbpf_num_possible_cpus();
        if (cpus <= 0)
            return fail("count the possible CPUs", -cpus);
        std::vector<std::uint64_t> slots(static_cast<std::size_t>(cpus));
        const std::uint32_t key = 0;
        if (bpf_map_lookup_elem(bpf_map__fd(this->skel().maps.counts), &key, slots.data()) != 0)
            return fail("read the bench counter", errno);
        std::uint64_t sum = 0;
        for (auto n : slots)
            sum += n;
        return sum;
    }
};

template <class Skel>
Result<std::unique_ptr<ThroughputCounter>> load(const HookSpec& hook, std::uint32_t action) {
    return load_skeleton<Counter<Skel>, Skel>(
        hook, "bench counter", [](Skel& s) { return s.progs.counter; },
        [&](Skel& s) -> Status {
            s.rodata->cfg.action = action;
            return {};
        });
}
} // namespace

bool throughput_supports(const HookSpec& hook, std::string& why) {
    if (hook.direction != Direction::Ingress ||
        (hook.family != HookFamily::Xdp && hook.family != HookFamily::Tc &&
         hook.family != HookFamily::Tcx)) {
        why = "bench drives ingress XDP, tc and tcx hooks, where the program decides a packet's "
              "fate; " +
              std::string(hook.name) + " is not one";
        return false;
    }
    if (hook.xdp_flags & XDP_FLAGS_HW_MODE) {
        why = "an offloaded XDP program runs on no datapath here, so it counts no packets";
        return false;
    }
    return true;
}

Result<std::unique_ptr<ThroughputCounter>> load_throughput_counter(const HookSpec& hook,
                                                                   CounterAction action) {
    if (hook.family == HookFamily::Xdp) {
        if (action == CounterAction::Consume)
            return fail("the bench counter consumes frames at tc hooks only, not at " +
                        std::string(hook.name));
        return load<throughput_xdp>(hook, action == CounterAction::Drop ? std::uint32_t{XDP_DROP}
                                                                        : hook.pass_action);
    }
    if (action == CounterAction::Consume) {
        // tcx maps every code but its own to TCX_NEXT (tcx_action_code), so only classic tc
        // honours TC_ACT_STOLEN.
        if (hook.family != HookFamily::Tc)
            return fail("the bench counter consumes frames at tc hooks only, not at " +
                        std::string(hook.name));
        return load<throughput_skb>(hook, std::uint32_t{TC_ACT_STOLEN});
    }
    // TCX_DROP is TC_ACT_SHOT.
    return load<throughput_skb>(hook, action == CounterAction::Drop ? std::uint32_t{TC_ACT_SHOT}
                                                                    : hook.pass_action);
}

} // namespace hm
