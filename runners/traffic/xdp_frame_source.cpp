#include "runners/traffic/xdp_frame_source.h"

#include "runners/programs/xdp_frames_program.h"
#include "runners/traffic/bench_frame.h"

#include <bpf/bpf.h>
#include <fmt/format.h>
#include <linux/bpf.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace hm {

namespace {
// Frames the kernel runs per batch before it flushes the redirects: NAPI's budget, as
// xdp-trafficgen uses.
constexpr std::uint32_t kBatch = 64;
// Runs per BPF_PROG_RUN call when not throttled. Each live-frames call sets up and destroys a
// page pool, and page_pool_destroy() waits for an RCU grace period (Linux 6.10+): about 24 ms
// here, asleep. At 2^14 runs a call (3-8 ms of work) the source slept 85% of the time and capped
// every cell at 0.67 Mpps (measured Dec 2 2026); at 2^18 runs (40-120 ms of work) it sleeps a
// third to a half of the time at xdpdrv's speed (docs/benchmarks.md). A window's frames-sent
// count is the program's own (bpf/xdp_frames.bpf.c): counted per call, it moved in steps of 2^18,
// a third of a 0.3 s window's frames or more, and a test that set the hook's count against it
// failed (CI, Dec 2026: 1.37 M counted of 1.84 M = 7 x 2^18 "sent" in three windows).
constexpr std::uint32_t kRunsPerCall = 1u << 18;

// A throttled source sends a twentieth of a second's frames a call (whole batches), so that the
// pacer can hold it to its rate while each call's grace period (above) still leaves room for it.
std::uint32_t runs_per_call(const SourceOptions& options) {
    if (!options.max_pps)
        return kRunsPerCall;
    const double runs = std::ceil(*options.max_pps / 20 / kBatch) * kBatch;
    return static_cast<std::uint32_t>(
        std::clamp(runs, static_cast<double>(kBatch), static_cast<double>(kRunsPerCall)));
}
} // namespace

Result<std::unique_ptr<XdpFrameSource>> XdpFrameSource::open(const Endpoint& from,
                                                             const Endpoint& to,
                                                             const SourceOptions& options) {
    auto frame = bench_frame(from, to);
    if (!frame)
        return std::unexpected(frame.error());
    auto program = load_xdp_frames_program(options.alone ? 0 : from.ifindex);
    if (!program)
        return std::unexpected(program.error());
    auto ns = from.ns.dup();
    if (!ns)
        return std::unexpected(ns.error());
    return std::unique_ptr<XdpFrameSource>(new XdpFrameSource(
        std::move(*ns), std::move(*program), std::move(*frame), from.ifname, options));
}

void XdpFrameSource::run(GeneratorThread& thread) {
    // The redirect's ifindex, and the page pool's device (the namespace's lo), are this thread's
    // namespace's: the far one. The thread leaves it when it ends.
    auto scope = NetnsScope::enter(ns_);
    if (!scope)
        return thread.stop_with(scope.error().err ? scope.error().err : EPERM);
    const std::uint32_t runs = runs_per_call(options());
    LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame_.data(),
                .data_size_in = static_cast<__u32>(frame_.size()), .repeat = static_cast<int>(runs),
                .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = kBatch);
    // A signal cuts a run short (-EINTR, tried again); the pacer does not know the frames it
    // pushed, the program's count (sent()) does.
    thread.pump(runs, [&]() -> long {
        return bpf_prog_test_run_opts(program_->fd(), &opts) != 0 ? -errno
                                                                    : static_cast<long>(runs);
    });
}

std::string XdpFrameSource::describe() const {
    std::string out = fmt::format(
        "xdp live frames (BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES, {} runs per call in "
        "batches of {}) of a program that {}, {}-byte UDP frames, 1 generator thread",
        runs_per_call(options()), kBatch,
        options().alone ? "drops every frame (the source alone)"
                       : "redirects every frame out of " + target_,
        kBenchFrameBytes);
    if (options().max_pps)
        out += fmt::format(", throttled to {:.0f} frames/s", *options().max_pps);
    return out;
}

} // namespace hm
