#pragma once
// The skb source of `hookmatrix bench`: minimum-size UDP frames written with sendmmsg(2) on an
// AF_PACKET socket with PACKET_QDISC_BYPASS, from one generator thread pinned to one CPU. On veth
// and lo the kernel delivers each frame to the receiving device in the sender's own softirq, so
// the generator's CPU also runs the hook under test: the rate it reaches is the cost of the whole
// path on one CPU, which is what a hook's cost is compared by.
#include "core/unique_fd.h"
#include "runners/traffic/generator_thread.h"
#include "runners/traffic/traffic_source.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hm {

class PacketBlaster final : public GeneratedSource {
public:
    // A socket on `from`'s device in its namespace, framing packets to `to`. With options.alone
    // the socket sends through the qdisc layer, where a tc egress program on `from` can take the
    // frames (PACKET_QDISC_BYPASS skips the egress hooks).
    static Result<std::unique_ptr<PacketBlaster>> open(const Endpoint& from, const Endpoint& to,
                                                       const SourceOptions& options = {});
    PacketBlaster(const PacketBlaster&) = delete;
    ~PacketBlaster() override { stop(); }
    std::string describe() const override;

private:
    PacketBlaster(UniqueFd fd, std::vector<std::uint8_t> frame, const SourceOptions& options)
        : GeneratedSource(options), fd_(std::move(fd)), frame_(std::move(frame)) {}
    // sendmmsg(2) until stopped; a full queue is tried again, any other error stops it.
    void run(GeneratorThread& thread) override;
    std::string what_failed() const override { return "send frames"; }

    UniqueFd fd_;
    std::vector<std::uint8_t> frame_;
};

} // namespace hm
