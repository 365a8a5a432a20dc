#include "runners/traffic/echo_run.h"

namespace hm {

namespace {
constexpr std::uint32_t kWarmupAttempts = 50;
constexpr std::chrono::milliseconds kWarmupWait{100};
} // namespace

bool warm_up(EchoSender& sender, in_addr to, std::uint16_t ident, std::uint32_t magic) {
    const std::uint32_t warmup_magic = ~magic;
    for (std::uint32_t attempt = 0; attempt < kWarmupAttempts; ++attempt) {
        if (!sender.send_request(to, ident, warmup_magic, attempt))
            return false;
        if (sender.wait_reply(ident, warmup_magic, attempt, kWarmupWait))
            return true;
    }
    return false;
}

Result<EchoRun> send_echoes(EchoSender& sender, in_addr to, std::uint16_t ident,
                            std::uint32_t magic, std::uint32_t packets,
                            std::chrono::milliseconds reply_timeout, EventTable& table,
                            const std::atomic<bool>* stop) {
    EchoRun run;
    run.send_ns.reserve(packets);
    run.replied.reserve(packets);
    for (std::uint32_t seq = 0; seq < packets; ++seq) {
        if (stop && stop->load()) {
            run.stopped = true;
            break;
        }
        const std::uint64_t before = monotonic_ns();
        auto t = sender.send_request(to, ident, magic, seq);
        // EPERM: a program on the way out (cgroup egress, netfilter OUTPUT) dropped the request
        // inside sendto(). It was sent, as far as the hook is concerned; there is no reply.
        if (!t && t.error().err != EPERM)
            return std::unexpected(t.error());
        run.send_ns.push_back(t ? *t : before);
        run.replied.push_back(t && sender.wait_reply(ident, magic, seq, reply_timeout));
        table.collect_recent(seq + 1);
    }
    table.collect_all(static_cast<std::uint32_t>(run.send_ns.size()));
    return run;
}

} // namespace hm
