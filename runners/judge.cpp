#include "runners/judge.h"

#include <algorithm>

namespace hm {

Judgement judge(const Observation& obs) {
    const std::size_t n = obs.send_ns.size();
    Judgement j;
    std::vector<std::uint32_t> hits(n, 0);
    std::vector<std::uint64_t> first_ns(n, 0); // the first firing per packet is the one timed
    std::uint32_t stray = 0;                   // our packets seen at this hook going the other way
    for (const hm_event& e : obs.events) {
        if (e.hook_id != obs.hook_id || e.seq >= n) // another hook's, or not a packet we sent
            continue;
        if (e.icmp_type != obs.expected_icmp_type) {
            ++stray;
            continue;
        }
        if (hits[e.seq]++ == 0)
            first_ns[e.seq] = e.ts_ns;
    }
    for (std::size_t i = 0; i < n; ++i)
        if (hits[i])
            j.samples_ns.push_back(first_ns[i] >= obs.send_ns[i] ? first_ns[i] - obs.send_ns[i]
                                                                 : 0);

    const auto once = static_cast<std::uint32_t>(std::ranges::count(hits, 1u));
    const auto missed = static_cast<std::uint32_t>(std::ranges::count(hits, 0u));
    const auto repeated = static_cast<std::uint32_t>(n) - once - missed;
    j.fired = once;
    j.replies = static_cast<std::uint32_t>(std::count(
        obs.replied.begin(), obs.replied.begin() + std::min(n, obs.replied.size()), true));
    const auto total = std::to_string(n);
    const char* kind =
        obs.expected_icmp_type == HM_ICMP_ECHO_REQUEST ? "echo request" : "echo reply";

    if (n == 0) {
        j.verdict = Verdict::Error;
        j.reason = "no packets were sent";
    } else if (missed == n && !obs.unreachable.empty() && j.replies == n) {
        j.verdict = Verdict::Attached;
        j.reason = obs.unreachable + "; it ran for none of " + total +
                   " packets, and all replies returned";
    } else if (missed == n) {
        j.verdict = Verdict::Fail;
        j.reason = "did not fire for any of " + total + " packets";
        if (stray)
            j.reason += " (saw " + std::to_string(stray) + " in the other direction)";
    } else if (missed || repeated) {
        j.verdict = Verdict::Fail;
        j.reason = "fired for " + std::to_string(n - missed) + " of " + total + " packets";
        if (repeated)
            j.reason += ", more than once for " + std::to_string(repeated);
    } else if (j.replies != n) {
        j.verdict = Verdict::Fail;
        j.reason = "fired for all " + total + " packets but " + std::to_string(n - j.replies) +
                   " echo replies were lost";
    } else {
        j.verdict = Verdict::Pass;
        j.reason = "fired once per " + std::string(kind) + " for all " + total +
                   " packets; all replies returned";
    }
    return j;
}

Judgement judge_trace(const std::vector<std::uint64_t>& line_ns,
                      const std::vector<std::uint64_t>& send_ns, std::uint32_t replies) {
    Judgement j;
    j.replies = replies;
    const std::size_t n = send_ns.size();
    std::vector<std::uint32_t> lines(n, 0);
    std::vector<std::uint64_t> first(n, 0);
    for (std::uint64_t t : line_ns) {
        // The last packet whose send time is not after the line.
        auto it = std::upper_bound(send_ns.begin(), send_ns.end(), t);
        if (it == send_ns.begin())
            continue; // before the first packet: not ours to count
        const auto i = static_cast<std::size_t>(it - send_ns.begin() - 1);
        if (lines[i]++ == 0)
            first[i] = t;
    }
    for (std::size_t i = 0; i < n; ++i)
        if (lines[i])
            j.samples_ns.push_back(first[i] - send_ns[i]);
    j.fired =
        static_cast<std::uint32_t>(std::ranges::count_if(lines, [](auto c) { return c > 0; }));
    const std::string total = std::to_string(n);
    if (n == 0) {
        j.verdict = Verdict::Error;
        j.reason = "no packets were sent";
    } else if (j.fired == 0) {
        j.verdict = Verdict::Fail;
        j.reason = "no trace line from the program for any of " + total + " packets";
    } else if (j.fired < n) {
        j.verdict = Verdict::Fail;
        j.reason = "trace lines for " + std::to_string(j.fired) + " of " + total + " packets";
    } else if (replies < n) {
        j.verdict = Verdict::Fail;
        j.reason = "trace lines for all " + total + " packets but " + std::to_string(n - replies) +
                   " echo replies were lost";
    } else {
        j.verdict = Verdict::Pass;
        j.reason = "trace lines for all " + total + " packets (" + std::to_string(line_ns.size()) +
                   " lines); all replies returned";
    }
    return j;
}

Judgement judge_run_count(std::uint64_t runs, std::uint32_t sent, std::uint32_t replies,
                          const std::string& unreachable) {
    Judgement j;
    j.replies = replies;
    j.fired = static_cast<std::uint32_t>(std::min<std::uint64_t>(runs, sent));
    const std::string n = std::to_string(sent);
    if (sent == 0) {
        j.verdict = Verdict::Error;
        j.reason = "no packets were sent";
    } else if (runs == 0 && !unreachable.empty() && replies == sent) {
        j.verdict = Verdict::Attached;
        j.reason = unreachable + "; it ran for none of " + n + " packets, and all replies returned";
    } else if (runs == 0) {
        j.verdict = Verdict::Fail;
        j.reason = "the program never ran for " + n + " packets";
    } else if (runs < sent) {
        j.verdict = Verdict::Fail;
        j.reason = "the program ran " + std::to_string(runs) + " times for " + n + " packets";
    } else if (replies < sent) {
        j.verdict = Verdict::Fail;
        j.reason = "the program ran " + std::to_string(runs) + " times for " + n + " packets but " +
                   std::to_string(sent - replies) +
                   " echo replies were lost (does it return the hook's pass action?)";
    } else {
        j.verdict = Verdict::Pass;
        j.reason = "the program ran " + std::to_string(runs) + " times for " + n +
                   " packets (kernel run counter); all replies returned";
    }
    return j;
}

Verdict verdict_for(const Error& e) {
    return e.unsupported() ? Verdict::Unsupported : Verdict::Error;
}

void write_judgement(Judgement j, CellResult& cell) {
    cell.verdict = j.verdict;
    cell.reason = std::move(j.reason);
    cell.replies = j.replies;
    cell.fired = j.fired;
    cell.latency = summarize(j.samples_ns);
    cell.samples_ns = std::move(j.samples_ns);
}

void write_judgement(const Judgement& j, ChoirVoice& voice) {
    voice.verdict = j.verdict;
    voice.reason = j.reason;
    voice.fired = j.fired;
    voice.latency = summarize(j.samples_ns);
}

} // namespace hm
