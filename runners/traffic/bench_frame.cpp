#include "runners/traffic/bench_frame.h"

#include "core/unique_fd.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <array>
#include <cstring>

namespace hm {

namespace {
constexpr std::uint16_t kPort = 9; // discard
using Mac = std::array<std::uint8_t, ETH_ALEN>;

Result<Mac> hw_address(const Endpoint& end) {
    auto sock = ioctl_socket(end);
    if (!sock)
        return std::unexpected(sock.error());
    ifreq req{};
    std::strncpy(req.ifr_name, end.ifname.c_str(), IFNAMSIZ - 1);
    if (::ioctl(sock->get(), SIOCGIFHWADDR, &req) != 0)
        return fail("read the MAC address of " + end.ifname + " in ns " + end.ns.name(), errno);
    Mac mac{};
    std::memcpy(mac.data(), req.ifr_hwaddr.sa_data, ETH_ALEN);
    return mac;
}

std::uint16_t ip_checksum(const void* data, std::size_t len) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < len; i += 2)
        sum += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return htons(static_cast<std::uint16_t>(~sum));
}
} // namespace

Result<std::vector<std::uint8_t>> bench_frame(const Endpoint& from, const Endpoint& to) {
    auto dst = hw_address(to);
    if (!dst)
        return std::unexpected(dst.error());
    auto src = hw_address(from);
    if (!src)
        return std::unexpected(src.error());
    // The headers are built apart and copied in: at offset 14 the IPv4 header is not aligned
    // for iphdr's 4-byte fields (UBSan: misaligned member access).
    std::vector<std::uint8_t> f(kBenchFrameBytes, 0);
    ethhdr eth{};
    std::memcpy(eth.h_dest, dst->data(), ETH_ALEN);
    std::memcpy(eth.h_source, src->data(), ETH_ALEN);
    eth.h_proto = htons(ETH_P_IP);
    iphdr ip{};
    ip.version = 4;
    ip.ihl = 5;
    ip.ttl = 64;
    ip.protocol = IPPROTO_UDP;
    ip.tot_len = htons(static_cast<std::uint16_t>(kBenchFrameBytes - sizeof(ethhdr)));
    ip.saddr = from.addr.s_addr;
    ip.daddr = to.addr.s_addr;
    ip.check = ip_checksum(&ip, sizeof(iphdr));
    udphdr udp{};
    udp.source = htons(kPort);
    udp.dest = htons(kPort);
    udp.len = htons(static_cast<std::uint16_t>(kBenchFrameBytes - sizeof(ethhdr) - sizeof(iphdr)));
    std::memcpy(f.data(), &eth, sizeof eth);
    std::memcpy(f.data() + sizeof eth, &ip, sizeof ip);
    std::memcpy(f.data() + sizeof eth + sizeof ip, &udp, sizeof udp);
    return f; // UDP checksum 0: none, which IPv4 allows
}

} // namespace hm
