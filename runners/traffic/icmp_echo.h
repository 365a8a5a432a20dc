#pragma once
// hookmatrix's own ICMP echo sender: a raw socket opened inside one namespace. Every request
// carries an hm_payload (run magic, 32-bit sequence); its send time is read from CLOCK_MONOTONIC,
// the clock of bpf_ktime_get_ns(), immediately before sendto().
#include "core/error.h"
#include "core/monotonic_clock.h"
#include "core/netns.h"
#include "core/unique_fd.h"

#include <netinet/in.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace hm {

// The ICMP message of every hookmatrix echo request: the 8-byte header, then 56 payload bytes (as
// ping sends by default) that start with an hm_payload. Raw sockets and the tap wire send these
// same bytes.
inline constexpr std::size_t kEchoIcmpBytes = 8 + 56;
std::array<std::uint8_t, kEchoIcmpBytes> echo_request_icmp(std::uint16_t ident,
                                                           std::uint32_t magic, std::uint32_t seq);

// echo_request_icmp (its type set to `icmp_type`, so it can be a reply too) in an IPv4 packet in
// an Ethernet frame: what a probe sees on the wire, for BPF_PROG_TEST_RUN (bench/, tests/).
inline constexpr std::size_t kEchoFrameBytes = 14 + 20 + kEchoIcmpBytes;
std::array<std::uint8_t, kEchoFrameBytes> echo_frame(std::uint8_t icmp_type, std::uint32_t magic,
                                                     std::uint32_t seq);

// The Internet checksum (RFC 1071) of `len` bytes, ready to store (network byte order).
std::uint16_t inet_checksum(const void* data, std::size_t len);

// Whatever originates hookmatrix's echo requests on one side of a topology: a raw socket in a
// namespace, or (for a tap) the wire behind the device.
class EchoSender {
public:
    virtual ~EchoSender() = default;
    // Returns the send timestamp (ns, CLOCK_MONOTONIC), read right before the packet leaves.
    virtual Result<std::uint64_t> send_request(in_addr dst, std::uint16_t ident,
                                               std::uint32_t magic, std::uint32_t seq) = 0;
    // Waits for the echo reply that matches ident, magic and seq; false on timeout.
    virtual bool wait_reply(std::uint16_t ident, std::uint32_t magic, std::uint32_t seq,
                            std::chrono::milliseconds timeout) = 0;
};

class EchoSocket final : public EchoSender {
public:
    // In cgroup `cgroup_fd` when that is not -1, so the cgroup's hooks see what it sends.
    static Result<std::unique_ptr<EchoSocket>> open(const Netns& ns, int cgroup_fd = -1);

    Result<std::uint64_t> send_request(in_addr dst, std::uint16_t ident, std::uint32_t magic,
                                       std::uint32_t seq) override;
    bool wait_reply(std::uint16_t ident, std::uint32_t magic, std::uint32_t seq,
                    std::chrono::milliseconds timeout) override;

private:
    explicit EchoSocket(UniqueFd fd) : fd_(std::move(fd)) {}
    UniqueFd fd_;
};

} // namespace hm
