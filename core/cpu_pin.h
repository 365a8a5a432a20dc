#pragma once
// Measuring on one CPU. Left to the scheduler, a cell's sender and the softirqs that carry its
// packets may land on either CPU, and whole cells then come out 40% slower or faster from one run
// to the next (seen on 2-vCPU machines): too much for `hookmatrix diff` to tell a regression
// from placement. Pinned, a run's latencies repeat.
#include "core/error.h"

#include <sched.h>

#include <optional>
#include <vector>

namespace hm {

// The CPUs this process may run on, ascending.
Result<std::vector<int>> allowed_cpus();

// Pins the calling thread, and so every thread and process it starts while pinned, to one CPU;
// puts the thread's previous CPU set back when destroyed (guests started later get every CPU).
class CpuPin {
public:
    // `cpu`, or when none is given the highest-numbered allowed CPU (CPU 0 takes most
    // housekeeping interrupts). Call it before any other thread exists.
    static Result<CpuPin> pin(std::optional<int> cpu);
    CpuPin(CpuPin&& o) noexcept : cpu_(o.cpu_), previous_(o.previous_), active_(o.active_) {
        o.active_ = false;
    }
    CpuPin& operator=(CpuPin&&) = delete;
    ~CpuPin();
    int cpu() const { return cpu_; }

private:
    friend Result<int> pin_to_one_cpu(std::optional<int> cpu);
    CpuPin(int cpu, const cpu_set_t& previous) : cpu_(cpu), previous_(previous) {}
    int cpu_;
    cpu_set_t previous_;
    bool active_ = true;
};

// The same pinning for the rest of the thread's life; returns the CPU.
Result<int> pin_to_one_cpu(std::optional<int> cpu);

} // namespace hm
