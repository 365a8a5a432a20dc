#pragma once
// What the running kernel supports, decided by trying (loading a minimal program of the type),
// never by version numbers: distributions backport. One cached object behind an interface, so
// tests can hand the runner a kernel that "lacks" a hook.
#include "matrix/devices.h"
#include "matrix/hooks.h"

#include <memory>
#include <string>

namespace hm {

struct Support {
    bool supported = false;
    std::string reason; // why not, or what was found
};

class KernelFeatures {
public:
    virtual ~KernelFeatures() = default;
    // Whether the hook can exist on this kernel at all; device-specific support (native XDP in a
    // driver) is found when attaching.
    virtual Support hook(const HookSpec& hook) = 0;
    // Whether this kernel can make the device at all (netdevsim is a module many kernels lack).
    virtual Support device(const DeviceSpec& device) = 0;
    // Whether BPF_PROG_RUN runs XDP programs on live frames (BPF_F_TEST_XDP_LIVE_FRAMES, Linux
    // 5.18+): what bench's XDP-frame source stands on.
    virtual Support xdp_live_frames() = 0;
};

// Probes lazily, once per question, and remembers the answer.
std::unique_ptr<KernelFeatures> running_kernel_features();

} // namespace hm
