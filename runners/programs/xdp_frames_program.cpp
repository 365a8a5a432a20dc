#include "runners/programs/xdp_frames_program.h"

#include "runners/programs/skeleton.h"

#include <bpf/libbpf.h>

// The skeleton names struct hm_xdp_frames_config; it must be complete before it.
#include "hookmatrix/xdp_frames.h"
#include "xdp_frames.skel.h"

namespace hm {

HM_SKELETON(xdp_frames);

Result<std::unique_ptr<Program>> load_xdp_frames_program(int target_ifindex) {
    // Its type is plain XDP: BPF_PROG_RUN takes any XDP program not meant for a devmap or cpumap.
    const HookSpec* xdp = find_hook("xdp");
    if (!xdp)
        return fail("the hook catalogue has no 'xdp' row to load the XDP-frame source as");
    auto program = load_skeleton<SkeletonProgram<xdp_frames>, xdp_frames>(
        *xdp, "XDP-frame source", [](xdp_frames& s) { return s.progs.push; },
        [&](xdp_frames& s) -> Status {
            s.rodata->cfg.target_ifindex = static_cast<__u32>(target_ifindex);
            return {};
        });
    if (!program)
        return std::unexpected(program.error());
    return std::unique_ptr<Program>(std::move(*program));
}

} // namespace hm
