#include "runners/traffic/packet_blaster.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <memory>

namespace hm {

namespace {
// 60 bytes on the wire without FCS, the Ethernet minimum: the per-packet cost dominates.
constexpr std::size_t kFrameBytes = 60;
constexpr unsigned kBatch = 64;    // frames per sendmmsg(2)
constexpr std::uint16_t kPort = 9; // discard

Result<std::array<std::uint8_t, ETH_ALEN>> hw_address(int fd, const std::string& ifname) {
    ifreq req{};
    std::strncpy(req.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    if (::ioctl(fd, SIOCGIFHWADDR, &req) != 0)
        return fail("read the MAC address of " + ifname, errno);
    std::array<std::uint8_t, ETH_ALEN> mac{};
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

std::vector<std::uint8_t> udp_frame(const std::array<std::uint8_t, ETH_ALEN>& dst,
                                    const std::array<std::uint8_t, ETH_ALEN>& src, in_addr from,
                                    in_addr to) {
    std::vector<std::uint8_t> f(kFrameBytes, 0);
    auto* eth = reinterpret_cast<ethhdr*>(f.data());
    std::memcpy(eth->h_dest, dst.data(), ETH_ALEN);
    std::memcpy(eth->h_source, src.data(), ETH_ALEN);
    eth->h_proto = htons(ETH_P_IP);
    auto* ip = reinterpret_cast<iphdr*>(f.data() + sizeof(ethhdr));
    ip->version = 4;
    ip->ihl = 5;
    ip->ttl = 64;
    ip->protocol = IPPROTO_UDP;
    ip->tot_len = htons(static_cast<std::uint16_t>(kFrameBytes - sizeof(ethhdr)));
    ip->saddr = from.s_addr;
    ip->daddr = to.s_addr;
    ip->check = ip_checksum(ip, sizeof(iphdr));
    auto* udp = reinterpret_cast<udphdr*>(f.data() + sizeof(ethhdr) + sizeof(iphdr));
    udp->source = htons(kPort);
    udp->dest = htons(kPort);
    udp->len = htons(static_cast<std::uint16_t>(kFrameBytes - sizeof(ethhdr) - sizeof(iphdr)));
    return f; // UDP checksum 0: none, which IPv4 allows
}
} // namespace

Result<std::unique_ptr<PacketBlaster>> PacketBlaster::open(const Endpoint& from,
                                                           const Endpoint& to) {
    std::array<std::uint8_t, ETH_ALEN> dst{}, src{};
    {
        auto scope = NetnsScope::enter(to.ns);
        if (!scope)
            return std::unexpected(scope.error());
        UniqueFd probe(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        auto mac = hw_address(probe.get(), to.ifname);
        if (!mac)
            return std::unexpected(mac.error());
        dst = *mac;
    }
    auto scope = NetnsScope::enter(from.ns);
    if (!scope)
        return std::unexpected(scope.error());
    // Protocol 0: a send-only socket, so the kernel never queues received frames to it.
    UniqueFd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
    if (fd.get() < 0)
        return fail("open an AF_PACKET socket in ns " + from.ns.name(), errno);
    auto mac = hw_address(fd.get(), from.ifname);
    if (!mac)
        return std::unexpected(mac.error());
    src = *mac;
    sockaddr_ll addr{};
    addr.sll_family = AF_PACKET;
    addr.sll_ifindex = from.ifindex;
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        return fail("bind an AF_PACKET socket to " + from.ifname + " in ns " + from.ns.name(),
                    errno);
    // Straight to the driver's xmit, as pktgen does: no qdisc in the measured path.
    int one = 1;
    if (::setsockopt(fd.get(), SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) != 0)
        return fail("set PACKET_QDISC_BYPASS", errno);
    return std::unique_ptr<PacketBlaster>(
        new PacketBlaster(std::move(fd), udp_frame(dst, src, from.addr, to.addr)));
}

Status PacketBlaster::start(int cpu) {
    thread_ = std::jthread([this, cpu](std::stop_token st) { loop(st, cpu); });
    return {};
}

void PacketBlaster::stop() {
    if (thread_.joinable()) {
        thread_.request_stop();
        thread_.join();
    }
}

void PacketBlaster::loop(std::stop_token stop, int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (::sched_setaffinity(0, sizeof set, &set) != 0) {
        error_ = errno;
        return;
    }
    iovec iov{frame_.data(), frame_.size()};
    std::array<mmsghdr, kBatch> msgs{};
    for (auto& m : msgs) {
        m.msg_hdr.msg_iov = &iov;
        m.msg_hdr.msg_iovlen = 1;
    }
    while (!stop.stop_requested()) {
        int n = ::sendmmsg(fd_.get(), msgs.data(), kBatch, 0);
        if (n > 0) {
            sent_.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
        } else if (n < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
            error_ = errno;
            return;
        }
    }
}

std::string PacketBlaster::error() const {
    const int e = error_.load();
    return e ? std::string("send frames: ") + std::strerror(e) : std::string();
}

std::string PacketBlaster::describe() const {
    return "af_packet sendmmsg (" + std::to_string(kBatch) +
           " frames per call, PACKET_QDISC_BYPASS), " + std::to_string(kFrameBytes) +
           "-byte UDP frames, 1 generator thread";
}

} // namespace hm
