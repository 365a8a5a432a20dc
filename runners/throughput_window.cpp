#include "runners/throughput_window.h"

#include "core/proc_stat.h"
#include "core/thread_cpu.h"

#include <optional>
#include <thread>

namespace hm {

namespace {
std::uint64_t now_ns() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}
} // namespace

Result<ThroughputWindow> measure_window(const Count& counted, const TrafficSource& source,
                                        int cpu, std::chrono::milliseconds length) {
    auto own = [&]() -> std::optional<std::uint64_t> {
        auto thread = source.cpu_ns();
        auto softirq = ksoftirqd_cpu_ns(cpu);
        if (!thread || !softirq)
            return std::nullopt;
        return *thread + *softirq;
    };
    // The sent count is read before the hook's at the start and after it at the end, so a frame
    // the hook counted in the window was sent in it, or was still on its way when it began (a
    // queue's worth at most): the two counts can be set against each other even when this thread
    // is held up between two readings.
    const std::uint64_t s0 = source.sent();
    auto c0 = counted();
    auto cpu0 = read_cpu_times();
    const auto own0 = own();
    const std::uint64_t t0 = now_ns();
    std::this_thread::sleep_for(length);
    auto c1 = counted();
    const std::uint64_t t1 = now_ns();
    const auto own1 = own();
    auto cpu1 = read_cpu_times();
    const std::uint64_t s1 = source.sent();
    for (const auto* c : {&c0, &c1})
        if (!*c)
            return std::unexpected(c->error());
    for (const auto* c : {&cpu0, &cpu1})
        if (!*c)
            return std::unexpected(c->error());
    ThroughputWindow w{.seconds = static_cast<double>(t1 - t0) / 1e9,
                       .counted = *c1 - *c0,
                       .sent = s1 - s0,
                       .cpu_busy_per_cpu = busy_share(*cpu0, *cpu1)};
    for (double b : w.cpu_busy_per_cpu)
        w.cpu_busy += b;
    if (own0 && own1 && *own1 > *own0)
        w.own_cpu_ns = *own1 - *own0;
    return w;
}

} // namespace hm
