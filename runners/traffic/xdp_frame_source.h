#pragma once
// The XDP-frame source of `hookmatrix bench`, made the way xdp-trafficgen makes its traffic: one
// frame, built once, run through a small XDP program (bpf/xdp_frames.bpf.c) by BPF_PROG_RUN with
// BPF_F_TEST_XDP_LIVE_FRAMES (Linux 5.18+). In that mode the kernel gives each run a fresh frame
// from a page pool and carries out what the program returns; the program redirects out of the
// far end of the veth pair, so the device under test receives XDP frames, as from a NIC driver.
// The generator thread calls BPF_PROG_RUN from inside the far namespace (the redirect's ifindex
// is looked up there) on one pinned CPU; veth delivers into the peer's NAPI on that CPU, so, as
// with the skb source, the generator's CPU runs the whole path and the hook.
//
// The receiving veth must run NAPI to take XDP frames (a native XDP program or GRO turns it on;
// without, veth drops them): the caller enables GRO on it (runners/topology/gro.h).
#include "core/netns.h"
#include "runners/programs/xdp_frames_program.h"
#include "runners/traffic/generator_thread.h"
#include "runners/traffic/traffic_source.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hm {

class XdpFrameSource final : public GeneratedSource {
public:
    static Result<std::unique_ptr<XdpFrameSource>> open(const Endpoint& from, const Endpoint& to,
                                                        const SourceOptions& options = {});
    XdpFrameSource(const XdpFrameSource&) = delete;
    ~XdpFrameSource() override { stop(); }
    std::string describe() const override;
    // The program's own count of the frames it made, exact mid-call.
    std::uint64_t sent() const override { return program_->runs(); }

private:
    XdpFrameSource(Netns ns, std::unique_ptr<XdpFramesProgram> program,
                   std::vector<std::uint8_t> frame, std::string target,
                   const SourceOptions& options)
        : GeneratedSource(options), ns_(std::move(ns)), program_(std::move(program)),
          frame_(std::move(frame)), target_(std::move(target)) {}
    // BPF_PROG_RUN until stopped, from inside the far namespace.
    void run(GeneratorThread& thread) override;
    std::string what_failed() const override {
        return "push XDP frames (BPF_PROG_RUN, live frames)";
    }

    Netns ns_; // where the generator thread runs BPF_PROG_RUN
    std::unique_ptr<XdpFramesProgram> program_;
    std::vector<std::uint8_t> frame_;
    std::string target_; // the device the frames leave by, for describe()
};

} // namespace hm
