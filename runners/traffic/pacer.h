#pragma once
// Holds a generator to a rate: before each batch it sleeps until sending the batch keeps the
// frames sent since the first batch within `max_pps` times the time since then. Without a rate it
// never waits.
#include <chrono>
#include <cstdint>
#include <optional>
#include <thread>

namespace hm {

class Pacer {
public:
    explicit Pacer(std::optional<double> max_pps) : max_pps_(max_pps) {}

    // `sent`: frames sent so far; `batch`: how many the next call sends.
    void before(std::uint64_t sent, std::uint64_t batch) {
        if (!max_pps_ || *max_pps_ <= 0)
            return;
        const auto now = std::chrono::steady_clock::now();
        if (!started_) {
            start_ = now;
            started_ = true;
        }
        const auto due = start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                       std::chrono::duration<double>(
                                           static_cast<double>(sent + batch) / *max_pps_));
        if (due > now)
            std::this_thread::sleep_until(due);
    }

private:
    std::optional<double> max_pps_;
    bool started_ = false;
    std::chrono::steady_clock::time_point start_{};
};

} // namespace hm
