#include "runners/programs/libbpf_log.h"
#include "runners/programs/skeleton_ops.h"
#include "runners/programs/program.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

// The skeletons name struct hm_probe_config; it must be complete before them.
#include "hookmatrix/event.h"
#include "probe_nf.skel.h"
#include "probe_skb.skel.h"
#include "probe_xdp.skel.h"

namespace hm {

HM_SKELETON_OPS(probe_xdp);
HM_SKELETON_OPS(probe_skb);
HM_SKELETON_OPS(probe_nf);

namespace {
template <class Skel> class Probe final : public Program {
public:
    explicit Probe(Skel* s, bpf_prog_type type) : skel_(s), type_(type) {}
    ~Probe() override { SkelOps<Skel>::destroy(skel_); }
    int fd() const override { return bpf_program__fd(skel_->progs.probe); }
    std::string describe() const override { return "hookmatrix probe (" + type_name(type_) + ")"; }

private:
    Skel* skel_;
    bpf_prog_type type_;
};

template <class Skel>
Result<std::unique_ptr<Program>> load(const HookSpec& hook, const ProbeConfig& config) {
    if (config.hook_id >= HM_SLOT_HOOKS)
        return fail("hook id " + std::to_string(config.hook_id) +
                        " has no slots in the event table",
                    EINVAL, "ids go up to " + std::to_string(HM_SLOT_HOOKS - 1));
    LibbpfLogCapture log;
    Skel* skel = SkelOps<Skel>::open();
    if (!skel)
        return fail("open the probe object", errno, log.take());
    auto probe = std::make_unique<Probe<Skel>>(skel, hook.prog_type);
    skel->rodata->cfg.magic = config.magic;
    skel->rodata->cfg.hook_id = config.hook_id;
    skel->rodata->cfg.pass_action = hook.pass_action;
    prepare_for_hook(skel->progs.probe, hook);
    if (int e = bpf_map__reuse_fd(skel->maps.events, config.events_fd); e < 0)
        return fail("share the event table with the probe", -e, log.take());
    if (int e = SkelOps<Skel>::load(skel); e < 0)
        return fail("load the probe as " + type_name(hook.prog_type) + " for " +
                        std::string(hook.name),
                    -e, log.take());
    return probe;
}
} // namespace

Result<std::unique_ptr<Program>> load_probe(const HookSpec& hook, const ProbeConfig& config) {
    switch (hook.probe) {
    case ProbeKind::Xdp: return load<probe_xdp>(hook, config);
    case ProbeKind::Skb: return load<probe_skb>(hook, config);
    case ProbeKind::Netfilter: return load<probe_nf>(hook, config);
    }
    return fail("no probe build for hook " + std::string(hook.name), ENOTSUP);
}

} // namespace hm
