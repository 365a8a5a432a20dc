#include "runners/topology/tap_wire.h"

#include "hookmatrix/event.h"

#include <arpa/inet.h>
#include <linux/icmp.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netinet/ip.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstring>

namespace hm {

namespace {
// A locally administered unicast address ("hm" wire).
constexpr Mac kWireMac{0x02, 0x68, 0x6d, 0x00, 0x00, 0x02};
constexpr Mac kBroadcast{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

// The ARP payload for Ethernet and IPv4 (RFC 826), after the fixed arphdr.
struct ArpIpv4 {
    arphdr hdr;
    std::uint8_t sha[6], spa[4], tha[6], tpa[4];
};
static_assert(sizeof(ArpIpv4) == 28);

constexpr std::size_t kEth = sizeof(ether_header);
constexpr auto kArpTries = 20; // one ARP request every 100 ms: 2 s for the device to answer
constexpr std::chrono::milliseconds kArpWait{100};
constexpr std::size_t kMaxPendingReplies = 1024;

template <class T> T load(std::span<const std::uint8_t> frame, std::size_t off) {
    T v;
    std::memcpy(&v, frame.data() + off, sizeof v);
    return v;
}

ether_header eth_header(const Mac& dst, const Mac& src, std::uint16_t type) {
    ether_header eth{};
    std::memcpy(eth.ether_dhost, dst.data(), 6);
    std::memcpy(eth.ether_shost, src.data(), 6);
    eth.ether_type = htons(type);
    return eth;
}

Status write_frame(int fd, std::span<const std::uint8_t> frame) {
    if (::write(fd, frame.data(), frame.size()) != static_cast<ssize_t>(frame.size()))
        return fail("write a frame into the tap", errno);
    return {};
}

class WireSender final : public EchoSender {
public:
    explicit WireSender(TapWire& wire) : wire_(wire) {}
    Result<std::uint64_t> send_request(in_addr dst, std::uint16_t ident, std::uint32_t magic,
                                       std::uint32_t seq) override {
        return wire_.send_echo_request(dst, ident, magic, seq);
    }
    bool wait_reply(std::uint16_t ident, std::uint32_t magic, std::uint32_t seq,
                    std::chrono::milliseconds timeout) override {
        return wire_.wait_echo_reply(ident, magic, seq, timeout);
    }

private:
    TapWire& wire_;
};
} // namespace

Result<std::unique_ptr<TapWire>> TapWire::start(std::vector<UniqueFd> queues, in_addr self,
                                                in_addr peer) {
    UniqueFd stop(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!stop.valid())
        return fail("create the tap wire's stop eventfd", errno);
    return std::unique_ptr<TapWire>(new TapWire(std::move(queues), std::move(stop), self, peer));
}

TapWire::TapWire(std::vector<UniqueFd> queues, UniqueFd stop, in_addr self, in_addr peer)
    : queues_(std::move(queues)), stop_(std::move(stop)), self_(self), peer_(peer), mac_(kWireMac),
      thread_([this] { run(); }) {}

TapWire::~TapWire() {
    const std::uint64_t one = 1;
    if (::write(stop_.get(), &one, sizeof one) != sizeof one)
        std::perror("hookmatrix: cannot stop the tap wire");
    thread_.join();
    // queues_ close after this body: the thread no longer reads them.
}

std::unique_ptr<EchoSender> TapWire::sender() {
    return std::make_unique<WireSender>(*this);
}

void TapWire::run() {
    std::vector<pollfd> fds;
    for (const auto& q : queues_)
        fds.push_back({q.get(), POLLIN, 0});
    fds.push_back({stop_.get(), POLLIN, 0});
    std::vector<std::uint8_t> buf(65536);
    for (;;) {
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            std::perror("hookmatrix: tap wire poll");
            return;
        }
        if (fds.back().revents)
            return;
        for (std::size_t i = 0; i + 1 < fds.size(); ++i) {
            if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL))
                fds[i].fd = -1; // a detached queue: poll ignores negative descriptors
            if (!(fds[i].revents & POLLIN))
                continue;
            // Non-blocking: read until the queue is empty.
            for (ssize_t n; (n = ::read(queues_[i].get(), buf.data(), buf.size())) > 0;)
                on_frame(static_cast<int>(i), {buf.data(), static_cast<std::size_t>(n)});
        }
    }
}

void TapWire::on_frame(int queue, std::span<const std::uint8_t> frame) {
    if (frame.size() < kEth)
        return;
    switch (ntohs(load<ether_header>(frame, 0).ether_type)) {
    case ETHERTYPE_ARP:
        on_arp(queue, frame);
        break;
    case ETHERTYPE_IP:
        on_ipv4(queue, frame);
        break;
    default:
        break; // IPv6 neighbour discovery and the like: the wire has no IPv6 address
    }
}

void TapWire::learn_peer(const std::uint8_t* mac) {
    Mac m;
    std::memcpy(m.data(), mac, m.size());
    std::lock_guard lock(mu_);
    if (peer_mac_ != m) {
        peer_mac_ = m;
        cv_.notify_all();
    }
}

void TapWire::on_arp(int queue, std::span<const std::uint8_t> frame) {
    if (frame.size() < kEth + sizeof(ArpIpv4))
        return;
    const auto arp = load<ArpIpv4>(frame, kEth);
    if (ntohs(arp.hdr.ar_hrd) != ARPHRD_ETHER || ntohs(arp.hdr.ar_pro) != ETHERTYPE_IP)
        return;
    if (std::memcmp(arp.spa, &peer_, 4) == 0)
        learn_peer(arp.sha);
    if (ntohs(arp.hdr.ar_op) != ARPOP_REQUEST || std::memcmp(arp.tpa, &self_, 4) != 0)
        return;
    Mac asker;
    std::memcpy(asker.data(), arp.sha, 6);
    ArpIpv4 reply = arp;
    reply.hdr.ar_op = htons(ARPOP_REPLY);
    std::memcpy(reply.sha, mac_.data(), 6);
    std::memcpy(reply.spa, &self_, 4);
    std::memcpy(reply.tha, arp.sha, 6);
    std::memcpy(reply.tpa, arp.spa, 4);
    std::array<std::uint8_t, kEth + sizeof(ArpIpv4)> out;
    const auto eth = eth_header(asker, mac_, ETHERTYPE_ARP);
    std::memcpy(out.data(), &eth, kEth);
    std::memcpy(out.data() + kEth, &reply, sizeof reply);
    (void)write_frame(queue_fd(static_cast<std::size_t>(queue)), out);
}

void TapWire::on_ipv4(int queue, std::span<const std::uint8_t> frame) {
    if (frame.size() < kEth + sizeof(iphdr))
        return;
    const auto ip = load<iphdr>(frame, kEth);
    const std::size_t ihl = ip.ihl * 4u, total = ntohs(ip.tot_len);
    if (ip.version != 4 || ihl < sizeof(iphdr) || total < ihl || kEth + total > frame.size())
        return;
    if (ip.saddr == peer_.s_addr)
        learn_peer(load<ether_header>(frame, 0).ether_shost);
    if (ip.protocol != IPPROTO_ICMP || ip.daddr != self_.s_addr ||
        total < ihl + sizeof(icmphdr) + sizeof(hm_payload))
        return;
    const std::size_t icmp_at = kEth + ihl, icmp_len = total - ihl;
    const auto icmp = load<icmphdr>(frame, icmp_at);

    if (icmp.type == ICMP_ECHOREPLY) {
        const auto id = load<hm_payload>(frame, icmp_at + sizeof icmp);
        std::lock_guard lock(mu_);
        if (replies_.size() == kMaxPendingReplies)
            replies_.pop_front();
        replies_.push_back({ntohs(icmp.un.echo.id), ntohl(id.magic), ntohl(id.seq)});
        cv_.notify_all();
        return;
    }
    if (icmp.type != ICMP_ECHO)
        return;
    // The reply: the same frame with both ends swapped, type 0, and both checksums recomputed.
    std::vector<std::uint8_t> out(frame.begin(), frame.begin() + static_cast<long>(kEth + total));
    const auto eth = load<ether_header>(frame, 0);
    Mac back;
    std::memcpy(back.data(), eth.ether_shost, 6);
    const auto reth = eth_header(back, mac_, ETHERTYPE_IP);
    std::memcpy(out.data(), &reth, kEth);
    iphdr rip = ip;
    std::swap(rip.saddr, rip.daddr);
    rip.ttl = 64;
    rip.check = 0;
    std::memcpy(out.data() + kEth, &rip, sizeof rip);
    rip.check = inet_checksum(out.data() + kEth, ihl); // options, if any, are kept as they came
    std::memcpy(out.data() + kEth, &rip, sizeof rip);
    icmphdr ricmp = icmp;
    ricmp.type = ICMP_ECHOREPLY;
    ricmp.checksum = 0;
    std::memcpy(out.data() + icmp_at, &ricmp, sizeof ricmp);
    ricmp.checksum = inet_checksum(out.data() + icmp_at, icmp_len);
    std::memcpy(out.data() + icmp_at, &ricmp, sizeof ricmp);
    (void)write_frame(queue_fd(static_cast<std::size_t>(queue)), out);
}

Status TapWire::send_arp_request() {
    ArpIpv4 req{};
    req.hdr.ar_hrd = htons(ARPHRD_ETHER);
    req.hdr.ar_pro = htons(ETHERTYPE_IP);
    req.hdr.ar_hln = 6;
    req.hdr.ar_pln = 4;
    req.hdr.ar_op = htons(ARPOP_REQUEST);
    std::memcpy(req.sha, mac_.data(), 6);
    std::memcpy(req.spa, &self_, 4);
    std::memcpy(req.tpa, &peer_, 4);
    std::array<std::uint8_t, kEth + sizeof(ArpIpv4)> out;
    const auto eth = eth_header(kBroadcast, mac_, ETHERTYPE_ARP);
    std::memcpy(out.data(), &eth, kEth);
    std::memcpy(out.data() + kEth, &req, sizeof req);
    return write_frame(queue_fd(0), out);
}

// The device's MAC: learnt from what it sent, or asked for. The request also puts the wire into
// the device's neighbour table, so its replies need no ARP of their own.
Result<Mac> TapWire::resolve_peer() {
    std::unique_lock lock(mu_);
    for (int attempt = 0; attempt < kArpTries && !peer_mac_; ++attempt) {
        lock.unlock();
        if (auto sent = send_arp_request(); !sent)
            return std::unexpected(sent.error());
        lock.lock();
        cv_.wait_for(lock, kArpWait, [&] { return peer_mac_.has_value(); });
    }
    if (!peer_mac_) {
        char text[INET_ADDRSTRLEN] = "?";
        ::inet_ntop(AF_INET, &peer_, text, sizeof text);
        return fail(std::string("resolve ") + text + " from the tap wire: no ARP reply to " +
                        std::to_string(kArpTries) + " requests",
                    EHOSTUNREACH, "is the tap device up with its address?");
    }
    return *peer_mac_;
}

Result<std::uint64_t> TapWire::send_echo_request(in_addr dst, std::uint16_t ident,
                                                 std::uint32_t magic, std::uint32_t seq) {
    if (dst.s_addr != peer_.s_addr)
        return fail("send an echo request from the tap wire: it reaches only the tap's address",
                    EHOSTUNREACH);
    auto peer_mac = resolve_peer();
    if (!peer_mac)
        return std::unexpected(peer_mac.error());
    const auto icmp = echo_request_icmp(ident, magic, seq);
    iphdr ip{};
    ip.version = 4;
    ip.ihl = sizeof(iphdr) / 4;
    ip.tot_len = htons(sizeof(iphdr) + icmp.size());
    ip.id = htons(next_ip_id_++);
    ip.frag_off = htons(IP_DF);
    ip.ttl = 64;
    ip.protocol = IPPROTO_ICMP;
    ip.saddr = self_.s_addr;
    ip.daddr = dst.s_addr;
    ip.check = inet_checksum(&ip, sizeof ip);
    const auto eth = eth_header(*peer_mac, mac_, ETHERTYPE_IP);
    std::array<std::uint8_t, kEth + sizeof(iphdr) + kEchoIcmpBytes> frame;
    std::memcpy(frame.data(), &eth, kEth);
    std::memcpy(frame.data() + kEth, &ip, sizeof ip);
    std::memcpy(frame.data() + kEth + sizeof ip, icmp.data(), icmp.size());
    // The device receives the frame inside write(): XDP, tc ingress and the stack run before it
    // returns, so the timestamp is taken right before it, as a raw socket's is before sendto().
    const std::uint64_t t = monotonic_ns();
    if (auto ok = write_frame(queue_fd(0), frame); !ok)
        return std::unexpected(ok.error());
    return t;
}

bool TapWire::wait_echo_reply(std::uint16_t ident, std::uint32_t magic, std::uint32_t seq,
                              std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mu_);
    for (;;) {
        // Like a socket's receive queue: what does not match is read and dropped.
        while (!replies_.empty()) {
            const EchoId r = replies_.front();
            replies_.pop_front();
            if (r.ident == ident && r.magic == magic && r.seq == seq)
                return true;
        }
        if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && replies_.empty())
            return false;
    }
}

} // namespace hm
