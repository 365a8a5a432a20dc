#include "runners/traffic/icmp_echo.h"

#include "core/cgroup.h"
#include "hookmatrix/event.h"

#include <arpa/inet.h>
#include <linux/icmp.h>
#include <linux/if_ether.h>
#include <netinet/ip.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>

#include <array>
#include <cstring>

namespace hm {

namespace {
// 56 payload bytes, as ping sends by default.
constexpr std::size_t kPayload = 56;

struct EchoPacket {
    icmphdr icmp;
    hm_payload id;
    std::array<std::uint8_t, kPayload - sizeof(hm_payload)> fill;
};
static_assert(sizeof(EchoPacket) == sizeof(icmphdr) + kPayload);
static_assert(sizeof(EchoPacket) == kEchoIcmpBytes);
} // namespace

std::uint16_t inet_checksum(const void* data, std::size_t len) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < len; i += 2)
        sum += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += static_cast<std::uint32_t>(p[len - 1] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return htons(static_cast<std::uint16_t>(~sum));
}

std::array<std::uint8_t, kEchoIcmpBytes> echo_request_icmp(std::uint16_t ident,
                                                           std::uint32_t magic, std::uint32_t seq) {
    EchoPacket pkt{};
    pkt.icmp.type = ICMP_ECHO;
    pkt.icmp.un.echo.id = htons(ident);
    pkt.icmp.un.echo.sequence = htons(static_cast<std::uint16_t>(seq));
    pkt.id.magic = htonl(magic);
    pkt.id.seq = htonl(seq);
    for (std::size_t i = 0; i < pkt.fill.size(); ++i)
        pkt.fill[i] = static_cast<std::uint8_t>(i);
    pkt.icmp.checksum = inet_checksum(&pkt, sizeof pkt);
    std::array<std::uint8_t, kEchoIcmpBytes> bytes;
    std::memcpy(bytes.data(), &pkt, sizeof pkt);
    return bytes;
}

std::array<std::uint8_t, kEchoFrameBytes> echo_frame(std::uint8_t icmp_type, std::uint32_t magic,
                                                     std::uint32_t seq) {
    std::array<std::uint8_t, kEchoFrameBytes> f{};
    ethhdr eth{};
    eth.h_proto = htons(ETH_P_IP);
    std::memcpy(f.data(), &eth, sizeof eth);
    iphdr ip{};
    ip.version = 4;
    ip.ihl = 5;
    ip.ttl = 64;
    ip.protocol = IPPROTO_ICMP;
    ip.tot_len = htons(20 + kEchoIcmpBytes);
    std::memcpy(f.data() + sizeof eth, &ip, sizeof ip);
    auto icmp = echo_request_icmp(0, magic, seq);
    icmp[0] = icmp_type;
    std::memcpy(f.data() + sizeof eth + sizeof ip, icmp.data(), icmp.size());
    return f;
}

namespace {
Result<UniqueFd> raw_icmp_socket(const Netns& ns) {
    auto scope = NetnsScope::enter(ns);
    if (!scope)
        return std::unexpected(scope.error());
    UniqueFd fd(::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP));
    if (!fd.valid())
        return fail("open a raw ICMP socket in ns " + ns.name(), errno);
    return fd;
}
} // namespace

Result<std::unique_ptr<EchoSocket>> EchoSocket::open(const Netns& ns, int cgroup_fd) {
    auto opened = cgroup_fd >= 0
                      ? socket_in_cgroup(ns, cgroup_fd, AF_INET, SOCK_RAW, IPPROTO_ICMP)
                      : raw_icmp_socket(ns);
    if (!opened)
        return std::unexpected(opened.error());
    UniqueFd fd = std::move(*opened);
    // Only echo replies reach this socket; everything else ICMP is filtered by the kernel.
    icmp_filter filter{~(1u << ICMP_ECHOREPLY)};
    ::setsockopt(fd.get(), SOL_RAW, ICMP_FILTER, &filter, sizeof filter);
    return std::unique_ptr<EchoSocket>(new EchoSocket(std::move(fd)));
}

Result<std::uint64_t> EchoSocket::send_request(in_addr dst, std::uint16_t ident,
                                               std::uint32_t magic, std::uint32_t seq) {
    const auto pkt = echo_request_icmp(ident, magic, seq);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr = dst;
    const std::uint64_t t = monotonic_ns();
    if (::sendto(fd_.get(), pkt.data(), pkt.size(), 0, reinterpret_cast<sockaddr*>(&to),
                 sizeof to) < 0)
        return fail("send ICMP echo request", errno);
    return t;
}

bool EchoSocket::wait_reply(std::uint16_t ident, std::uint32_t magic, std::uint32_t seq,
                            std::chrono::milliseconds timeout) {
    const std::uint64_t deadline =
        monotonic_ns() + static_cast<std::uint64_t>(timeout.count()) * 1'000'000ull;
    std::array<std::uint8_t, 1500> buf;
    for (;;) {
        const std::uint64_t now = monotonic_ns();
        if (now >= deadline)
            return false;
        pollfd pfd{fd_.get(), POLLIN, 0};
        int left_ms = static_cast<int>((deadline - now + 999'999) / 1'000'000);
        if (::poll(&pfd, 1, left_ms) <= 0)
            continue;
        ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
        if (n < static_cast<ssize_t>(sizeof(iphdr)))
            continue;
        const auto* ip = reinterpret_cast<const iphdr*>(buf.data());
        const std::size_t off = ip->ihl * 4u;
        if (static_cast<std::size_t>(n) < off + sizeof(icmphdr) + sizeof(hm_payload))
            continue;
        icmphdr icmp;
        hm_payload id;
        std::memcpy(&icmp, buf.data() + off, sizeof icmp);
        std::memcpy(&id, buf.data() + off + sizeof icmp, sizeof id);
        if (icmp.type == ICMP_ECHOREPLY && ntohs(icmp.un.echo.id) == ident &&
            ntohl(id.magic) == magic && ntohl(id.seq) == seq)
            return true;
    }
}

} // namespace hm
