#include "runners/traffic/packet_blaster.h"

#include "core/thread_cpu.h"
#include "runners/traffic/bench_frame.h"
#include "runners/traffic/pacer.h"

#include <fmt/format.h>
#include <linux/if_packet.h>
#include <sched.h>
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

Status PacketBlaster::start(int cpu) {
    thread_ = std::jthread([this, cpu](std::stop_token st) { loop(st, cpu); });
    handle_ = thread_.native_handle();
    return {};
}

Result<std::uint64_t> PacketBlaster::cpu_ns() const {
    if (!handle_ || !thread_.joinable())
        return fail("read the generator's CPU time: it is not running");
    return thread_cpu_ns(*handle_);
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
    Pacer pacer(options_.max_pps);
    while (!stop.stop_requested()) {
        pacer.before(sent(), kBatch);
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
    std::string out = fmt::format("af_packet sendmmsg ({} frames per call, {}), {}-byte UDP "
                                  "frames, 1 generator thread",
                                  kBatch,
                                  options_.alone ? "through the qdisc layer"
                                                 : "PACKET_QDISC_BYPASS",
                                  kBenchFrameBytes);
    if (options_.max_pps)
        out += fmt::format(", throttled to {:.0f} frames/s", *options_.max_pps);
    return out;
}

} // namespace hm
