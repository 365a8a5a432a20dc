#pragma once
// The traffic of a cell or a choir: an untimed warm-up, then timed echo requests one at a time,
// each waiting for its reply, with the probes' firings collected as it goes.
#include "runners/programs/event_table.h"
#include "runners/traffic/icmp_echo.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

namespace hm {

// Untimed requests (with a magic the probes ignore) until one is answered: they resolve ARP, so
// packet 0 is not charged for it, and prove the topology forwards at all. A fresh device drops
// what it is given until the kernel's linkwatch has activated its qdisc, so retry patiently.
// False when nothing answered.
bool warm_up(EchoSender& sender, in_addr to, std::uint16_t ident, std::uint32_t magic);

struct EchoRun {
    std::vector<std::uint64_t> send_ns; // index = sequence number
    std::vector<bool> replied;
    bool stopped = false; // `stop` was set before every packet was sent: fewer than asked for
};

// `stop` (SIGINT/SIGTERM during a run) is looked at after every packet, so a cell of a million
// packets ends within one reply timeout of Ctrl-C instead of when its packets are done.
Result<EchoRun> send_echoes(EchoSender& sender, in_addr to, std::uint16_t ident,
                            std::uint32_t magic, std::uint32_t packets,
                            std::chrono::milliseconds reply_timeout, EventTable& table,
                            const std::atomic<bool>* stop = nullptr);

} // namespace hm
