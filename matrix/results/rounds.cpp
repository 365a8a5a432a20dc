#include "matrix/results/rounds.h"

#include "matrix/stats/stats.h"

#include <fmt/format.h>

namespace hm {

void join_round(CellResult& cell, CellResult round, unsigned round_number) {
    if (cell.verdict != Verdict::Pass)
        return;
    if (round.verdict != Verdict::Pass) {
        round.reason = fmt::format("round {}: {}", round_number, round.reason);
        cell = std::move(round);
        return;
    }
    cell.samples_ns.insert(cell.samples_ns.end(), round.samples_ns.begin(), round.samples_ns.end());
    cell.trace.insert(cell.trace.end(), round.trace.begin(), round.trace.end());
    cell.packets_sent += round.packets_sent;
    cell.fired += round.fired;
    cell.replies += round.replies;
    cell.duration_s += round.duration_s;
    cell.latency = summarize(cell.samples_ns);
    cell.reason = fmt::format("{} (each of {} rounds)", round.reason, round_number);
}

} // namespace hm
