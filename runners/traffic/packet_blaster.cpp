#include "runners/traffic/packet_blaster.h"

#include "runners/traffic/bench_frame.h"

#include <fmt/format.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <memory>

namespace hm {

namespace {
constexpr unsigned kBatch = 64; // frames per sendmmsg(2)
} // namespace

Result<std::unique_ptr<PacketBlaster>> PacketBlaster::open(const Endpoint& from,
                                                           const Endpoint& to,
                                                           const SourceOptions& options) {
    auto frame = bench_frame(from, to);
    if (!frame)
        return std::unexpected(frame.error());
    auto scope = NetnsScope::enter(from.ns);
    if (!scope)
        return std::unexpected(scope.error());
    // Protocol 0: a send-only socket, so the kernel never queues received frames to it.
    UniqueFd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
    if (fd.get() < 0)
        return fail("open an AF_PACKET socket in ns " + from.ns.name(), errno);
    sockaddr_ll addr{};
    addr.sll_family = AF_PACKET;
    addr.sll_ifindex = from.ifindex;
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        return fail("bind an AF_PACKET socket to " + from.ifname + " in ns " + from.ns.name(),
                    errno);
    // Straight to the driver's xmit, as pktgen does: no qdisc in the measured path.
    int one = 1;
    if (!options.alone &&
        ::setsockopt(fd.get(), SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) != 0)
        return fail("set PACKET_QDISC_BYPASS", errno);
    return std::unique_ptr<PacketBlaster>(
        new PacketBlaster(std::move(fd), std::move(*frame), options));
}

void PacketBlaster::run(GeneratorThread& thread) {
    iovec iov{frame_.data(), frame_.size()};
    std::array<mmsghdr, kBatch> msgs{};
    for (auto& m : msgs) {
        m.msg_hdr.msg_iov = &iov;
        m.msg_hdr.msg_iovlen = 1;
    }
    thread.pump(kBatch, [&]() -> long {
        const int n = ::sendmmsg(fd_.get(), msgs.data(), kBatch, 0);
        return n < 0 ? -errno : n;
    });
}

std::string PacketBlaster::describe() const {
    std::string out = fmt::format("af_packet sendmmsg ({} frames per call, {}), {}-byte UDP "
                                  "frames, 1 generator thread",
                                  kBatch,
                                  options().alone ? "through the qdisc layer"
                                                 : "PACKET_QDISC_BYPASS",
                                  kBenchFrameBytes);
    if (options().max_pps)
        out += fmt::format(", throttled to {:.0f} frames/s", *options().max_pps);
    return out;
}

} // namespace hm
