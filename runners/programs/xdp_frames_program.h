#pragma once
// The XDP-frame source's program (bpf/xdp_frames.bpf.c) loaded: an XDP program that redirects
// every frame it is run on out of one device, or drops it at once. The traffic side
// (runners/traffic/xdp_frame_source.h) runs it with BPF_PROG_RUN in live-frames mode.
#include "core/error.h"
#include "runners/programs/program.h"

#include <cstdint>
#include <memory>

namespace hm {

class XdpFramesProgram : public Program {
public:
    // The frames the program has made (run on) since it was loaded, counted by the program: exact
    // at any moment, also while a BPF_PROG_RUN call is under way.
    virtual std::uint64_t runs() const = 0;
};

// `target_ifindex`: the device every frame is redirected out of, resolved in the namespace of the
// thread that will run the program; 0: every frame is dropped at once (the source's ceiling).
Result<std::unique_ptr<XdpFramesProgram>> load_xdp_frames_program(int target_ifindex);

} // namespace hm
