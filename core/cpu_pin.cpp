#include "core/cpu_pin.h"

#include <algorithm>
#include <string>

namespace hm {

Result<std::vector<int>> allowed_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) != 0)
        return fail("read this process's CPU affinity", errno);
    std::vector<int> cpus;
    for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &set))
            cpus.push_back(c);
    return cpus;
}

Result<CpuPin> CpuPin::pin(std::optional<int> cpu) {
    cpu_set_t previous;
    CPU_ZERO(&previous);
    if (::sched_getaffinity(0, sizeof previous, &previous) != 0)
        return fail("read this process's CPU affinity", errno);
    auto cpus = allowed_cpus();
    if (!cpus)
        return std::unexpected(cpus.error());
    if (cpus->empty())
        return fail("this process may run on no CPU");
    const int chosen = cpu.value_or(cpus->back());
    if (std::ranges::find(*cpus, chosen) == cpus->end()) {
        std::string list;
        for (int c : *cpus)
            list += (list.empty() ? "" : ",") + std::to_string(c);
        return fail("CPU " + std::to_string(chosen) + " is not one this process may use (" +
                    list + ")");
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(chosen, &set);
    if (::sched_setaffinity(0, sizeof set, &set) != 0)
        return fail("pin to CPU " + std::to_string(chosen), errno);
    return CpuPin(chosen, previous);
}

Result<int> pin_to_one_cpu(std::optional<int> cpu) {
    auto p = CpuPin::pin(cpu);
    if (!p)
        return std::unexpected(p.error());
    p->active_ = false;
    return p->cpu();
}

CpuPin::~CpuPin() {
    if (active_)
        ::sched_setaffinity(0, sizeof previous_, &previous_);
}

} // namespace hm
