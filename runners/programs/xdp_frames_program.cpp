#include "runners/programs/xdp_frames_program.h"

#include "runners/programs/skeleton.h"

#include <bpf/libbpf.h>

#include <atomic>

// The skeleton names struct hm_xdp_frames_config; it must be complete before it.
#include "hookmatrix/xdp_frames.h"
#include "xdp_frames.skel.h"

namespace hm {

HM_SKELETON(xdp_frames);

namespace {
class LoadedXdpFrames final : public SkeletonProgram<xdp_frames, XdpFramesProgram> {
public:
    using SkeletonProgram::SkeletonProgram;
    // libbpf maps .bss only where the kernel can (5.5+); without it there is no count to read.
    bool counter_mapped() const { return skel().bss != nullptr; }
    std::uint64_t runs() const override {
        // The program adds to it on another thread: an atomic load of the mapped word.
        return std::atomic_ref(skel().bss->runs).load(std::memory_order_relaxed);
    }
};
} // namespace

Result<std::unique_ptr<XdpFramesProgram>> load_xdp_frames_program(int target_ifindex) {
    // Its type is plain XDP: BPF_PROG_RUN takes any XDP program not meant for a devmap or cpumap.
    const HookSpec* xdp = find_hook("xdp");
    if (!xdp)
        return fail("the hook catalogue has no 'xdp' row to load the XDP-frame source as");
    auto program = load_skeleton<LoadedXdpFrames, xdp_frames>(
        *xdp, "XDP-frame source", [](xdp_frames& s) { return s.progs.push; },
        [&](xdp_frames& s) -> Status {
            s.rodata->cfg.target_ifindex = static_cast<__u32>(target_ifindex);
            return {};
        });
    if (!program)
        return std::unexpected(program.error());
    if (!(*program)->counter_mapped())
        return fail("map the XDP-frame source's counter (.bss): mmap-able BPF arrays need kernel "
                    "5.5 or newer");
    return std::unique_ptr<XdpFramesProgram>(std::move(*program));
}

} // namespace hm
