#pragma once
// The bench's traffic: minimum-size UDP frames written with sendmmsg(2) on an AF_PACKET socket
// with PACKET_QDISC_BYPASS, from one generator thread pinned to one CPU. On veth and lo the
// kernel delivers each frame to the receiving device in the sender's own softirq, so the
// generator's CPU also runs the hook under test: the rate it reaches is the cost of the whole
// path on one CPU, which is what a hook's cost is compared by.
#include "core/error.h"
#include "core/unique_fd.h"
#include "runners/traffic/endpoint.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace hm {

class PacketBlaster {
public:
    // A socket on `from`'s device in its namespace, framing packets to `to` (the device under
    // test; on lo both are the same).
    static Result<std::unique_ptr<PacketBlaster>> open(const Endpoint& from, const Endpoint& to);
    PacketBlaster(const PacketBlaster&) = delete;
    ~PacketBlaster() { stop(); }

    // Starts the generator thread on `cpu`; it sends until stop().
    Status start(int cpu);
    void stop();
    std::uint64_t sent() const { return sent_.load(std::memory_order_relaxed); }
    // The first send error other than a full queue, empty while there is none.
    std::string error() const;
    std::string describe() const; // the method, for results.json

private:
    PacketBlaster(UniqueFd fd, std::vector<std::uint8_t> frame)
        : fd_(std::move(fd)), frame_(std::move(frame)) {}
    void loop(std::stop_token stop, int cpu);

    UniqueFd fd_;
    std::vector<std::uint8_t> frame_;
    std::atomic<std::uint64_t> sent_{0};
    std::atomic<int> error_{0};
    std::jthread thread_;
};

} // namespace hm
