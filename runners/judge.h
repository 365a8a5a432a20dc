#pragma once
// From what a cell observed to its verdict. Pure: no kernel, so every rule is unit-tested.
#include "core/error.h"
#include "hookmatrix/event.h"
#include "matrix/results/result.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hm {

struct Observation {
    std::uint16_t hook_id = 0;
    std::uint8_t expected_icmp_type = HM_ICMP_ECHO_REQUEST;
    std::vector<std::uint64_t> send_ns; // index = sequence number
    std::vector<bool> replied;          // index = sequence number
    std::span<const hm_event> events;   // everything the event table yielded
    // Attachment::unreachable(): why no packet can reach the program on this device. When set
    // and the hook fired for no packet while every reply came back, the verdict is `attached`.
    std::string unreachable;
};

struct Judgement {
    Verdict verdict = Verdict::Error;
    std::string reason;
    std::uint32_t fired = 0;   // packets the hook saw exactly as expected
    std::uint32_t replies = 0; // echo replies that came back
    std::vector<std::uint64_t> samples_ns; // hook time minus send time, in send order
};

// pass: the hook fired exactly once for every packet, on the expected packet, and every reply
// came back. fail: anything else, with a reason that says what went wrong and how often.
Judgement judge(const Observation& obs);

// A user's own program writes no hookmatrix events; the kernel's run counter (BPF stats) says how
// often it ran while `sent` packets crossed the hook. It cannot say for which packets: other
// traffic in the namespaces (IPv6 neighbour discovery) may add runs, so the count is a lower
// bound check: pass when it ran at least once per packet and every reply came back.
// `unreachable` as in Observation.
Judgement judge_run_count(std::uint64_t runs, std::uint32_t sent, std::uint32_t replies,
                          const std::string& unreachable = {});

// --trace: a program that only calls bpf_trace_printk is heard through its trace lines. Packet i
// owns the lines stamped from its send time to the next packet's (the sender waits for each reply
// before the next request, and the hook runs before the reply). Pass when every packet has at
// least one line and every reply came back; the latency is its first line's time minus the send
// time (both CLOCK_MONOTONIC). `line_ns` must hold only lines of hookmatrix's own threads.
Judgement judge_trace(const std::vector<std::uint64_t>& line_ns,
                      const std::vector<std::uint64_t>& send_ns, std::uint32_t replies);

// An Error met while a cell or a voice was set up: `unsupported` when the kernel or the device
// lacks what the hook needs, `error` otherwise. The one place an Error becomes a verdict.
Verdict verdict_for(const Error& e);

// A judgement written into the cell or the choir's voice it judged: verdict, reason, counts and
// the latency of the packets the hook heard.
void write_judgement(Judgement j, CellResult& cell);
void write_judgement(const Judgement& j, ChoirVoice& voice);

} // namespace hm
