#include "runners/programs/probe.h"

#include "runners/programs/skeleton.h"

#include <bpf/bpf.h>

// The skeletons name struct hm_probe_config; it must be complete before them.
#include "hookmatrix/event.h"
#include "probe_nf.skel.h"
#include "probe_skb.skel.h"
#include "probe_xdp.skel.h"

namespace hm {

HM_SKELETON(probe_xdp);
HM_SKELETON(probe_skb);
HM_SKELETON(probe_nf);

namespace {
template <class Skel>
Result<std::unique_ptr<Program>> load(const HookSpec& hook, const ProbeConfig& config) {
    if (config.hook_id >= HM_SLOT_HOOKS)
        return fail("hook id " + std::to_string(config.hook_id) +
                        " has no slots in the event table",
                    EINVAL, "ids go up to " + std::to_string(HM_SLOT_HOOKS - 1));
    return load_skeleton<SkeletonProgram<Skel>, Skel>(
        hook, "probe", [](Skel& s) { return s.progs.probe; },
        [&](Skel& s) -> Status {
            s.rodata->cfg.magic = config.magic;
            s.rodata->cfg.hook_id = config.hook_id;
            s.rodata->cfg.pass_action = hook.pass_action;
            if (int e = bpf_map__reuse_fd(s.maps.events, config.events_fd); e < 0)
                return fail("share the event table with the probe", -e);
            return {};
        });
}
} // namespace

Result<std::unique_ptr<Program>> load_probe(const HookSpec& hook, const ProbeConfig& config) {
    switch (hook.probe) {
    case ProbeKind::Xdp: return load<probe_xdp>(hook, config);
    case ProbeKind::Skb: return load<probe_skb>(hook, config);
    case ProbeKind::Netfilter: return load<probe_nf>(hook, config);
    }
    return unsupported("no probe build for hook " + std::string(hook.name));
}

} // namespace hm
