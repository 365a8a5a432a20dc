#pragma once
// The kernels of a run other than the running one: each is resolved (fetched into the cache when
// it is Debian's and missing), then its cells run in a guest of its own, `jobs` guests at a time.
#include "runners/kernels/guest_run.h"

#include <atomic>
#include <functional>

namespace hm {

struct KernelCells {
    std::string kernel; // as named on the axis
    std::vector<Cell> cells;
};

struct KernelAxisOptions {
    VmOptions vm;
    GuestRunOptions guest;
    unsigned jobs = 1;
};

// `done` is called once per kernel, in the order they finish, never two at a time. A kernel
// whose guest never started (stop requested) is not reported.
void run_kernels(const std::vector<KernelCells>& kernels, const KernelAxisOptions& options,
                 const Progress& progress, const std::function<void(GuestOutcome)>& done,
                 const std::atomic<bool>& stop);

} // namespace hm
