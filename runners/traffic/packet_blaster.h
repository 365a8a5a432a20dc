#pragma once
// The skb source of `hookmatrix bench`: minimum-size UDP frames written with sendmmsg(2) on an
// AF_PACKET socket with PACKET_QDISC_BYPASS, from one generator thread pinned to one CPU. On veth
// and lo the kernel delivers each frame to the receiving device in the sender's own softirq, so
// the generator's CPU also runs the hook under test: the rate it reaches is the cost of the whole
// path on one CPU, which is what a hook's cost is compared by.
#include "core/unique_fd.h"
#include "runners/traffic/traffic_source.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace hm {

class PacketBlaster final : public TrafficSource {
public:
    // A socket on `from`'s device in its namespace, framing packets to `to`. With options.alone
    // the socket sends through the qdisc layer, where a tc egress program on `from` can take the
    // frames (PACKET_QDISC_BYPASS skips the egress hooks).
    static Result<std::unique_ptr<PacketBlaster>> open(const Endpoint& from, const Endpoint& to,
                                                       const SourceOptions& options = {});
    PacketBlaster(const PacketBlaster&) = delete;
    ~PacketBlaster() override { stop(); }

    Status start(int cpu) override;
    void stop() override;
    std::uint64_t sent() const override { return sent_.load(std::memory_order_relaxed); }
    Result<std::uint64_t> cpu_ns() const override;
    // The first send error other than a full queue, empty while there is none.
    std::string error() const override;
    std::string describe() const override;

private:
    PacketBlaster(UniqueFd fd, std::vector<std::uint8_t> frame, SourceOptions options)
        : fd_(std::move(fd)), frame_(std::move(frame)), options_(options) {}
    void loop(std::stop_token stop, int cpu);

    UniqueFd fd_;
    std::vector<std::uint8_t> frame_;
    SourceOptions options_;
    std::atomic<std::uint64_t> sent_{0};
    std::atomic<int> error_{0};
    std::jthread thread_;
    std::optional<pthread_t> handle_; // the thread's, for its CPU clock
};

} // namespace hm
