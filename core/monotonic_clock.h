#pragma once
// CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns(): what a packet's send time is read from, and a
// clock that a janitor may read (clock_gettime is async-signal-safe; std::chrono promises not).
#include <cstdint>
#include <ctime>

namespace hm {

inline std::uint64_t monotonic_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull +
           static_cast<std::uint64_t>(ts.tv_nsec);
}

} // namespace hm
