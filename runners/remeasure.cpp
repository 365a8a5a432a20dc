#include "runners/remeasure.h"

#include "matrix/results/rounds.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace hm {

namespace {
std::string percent(const LatencyChange& l) {
    return fmt::format("{:+.0f}%", l.shift_relative * 100);
}

std::optional<LatencyChange> latency_of(const Diff& diff, const CellResult& cell) {
    auto d = std::ranges::find_if(diff.cells, [&](const CellDiff& x) {
        return x.hook == cell.hook && x.device == cell.device && x.new_kernel == cell.kernel;
    });
    if (d == diff.cells.end() || !d->latency)
        return std::nullopt;
    return d->latency;
}

// The cell's latency judgement when `run` is compared with the baseline, when it has one.
std::optional<LatencyChange> judged(const Baseline& baseline, const RunResult& run,
                                    const CellResult& cell) {
    auto c = compare_with_baseline(baseline, run, "now");
    return c ? latency_of(c->diff, cell) : std::nullopt;
}

bool slower(const std::optional<LatencyChange>& l) {
    return l && l->trend == LatencyTrend::Slower;
}

// The cell measured again as the run measured it: `rounds` rounds joined, back to back.
CellResult measure(HostRunner& runner, const Cell& cell, unsigned rounds) {
    CellResult out = runner.run_cell(cell);
    for (unsigned round = 2; round <= rounds && out.verdict == Verdict::Pass; ++round)
        join_round(out, runner.run_cell(cell), round);
    return out;
}
} // namespace

std::size_t deciding_measurement(std::span<const double> shifts) {
    std::vector<std::size_t> order(shifts.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::ranges::stable_sort(order, {}, [&](std::size_t i) { return shifts[i]; });
    return order.empty() ? 0 : order[(order.size() - 1) / 2];
}

void remeasure_regressions(HostRunner& runner, std::span<const Cell* const> cells,
                           std::span<CellResult> results, const RunResult& run,
                           const Baseline& baseline, const RemeasureOptions& options,
                           const std::function<void(const std::string&)>& say) {
    const std::string against =
        baseline.nights.size() > 1 ? "against the history" : "against the baseline";
    RunResult now = run;
    // The whole run judged once; only a cell that regressed is judged again, with each new
    // measurement in its place.
    auto whole = compare_with_baseline(baseline, now, "now");
    if (!whole)
        return; // nothing in common: the caller reports that when it compares
    for (std::size_t i = 0; i < results.size() && i < cells.size(); ++i) {
        if (results[i].verdict != Verdict::Pass)
            continue;
        const auto first = latency_of(whole->diff, results[i]);
        if (!slower(first))
            continue;
        // Every measurement, with its judgement; the median (by shift) decides and is kept, so
        // that one measurement taken in an odd state of the machine decides nothing either way.
        struct Measured {
            CellResult cell;
            LatencyChange latency;
        };
        std::vector<Measured> all{{results[i], *first}};
        std::string story = "latency " + percent(*first) + " " + against;
        for (int attempt = 1; attempt <= options.attempts; ++attempt) {
            CellResult again = measure(runner, *cells[i], options.rounds);
            if (again.verdict != Verdict::Pass)
                break;
            RunResult tried = now;
            tried.cells[i] = again;
            const auto l = judged(baseline, tried, again);
            if (!l)
                break;
            story += options.rounds > 1 ? fmt::format(", {} measured again in {} rounds",
                                                      percent(*l), options.rounds)
                                        : fmt::format(", {} measured again", percent(*l));
            all.push_back({std::move(again), *l});
        }
        if (all.size() == 1) { // it could not be measured again: the first stands
            results[i].reason += "; measured again: " + story + ", which could not be repeated";
            say(fmt::format("{} {}: {}, which could not be repeated", results[i].hook,
                            results[i].device, story));
            continue;
        }
        std::vector<double> shifts;
        for (const Measured& m : all)
            shifts.push_back(m.latency.shift_relative);
        Measured& median = all[deciding_measurement(shifts)];
        const bool reproduced = slower(median.latency);
        story += fmt::format(", the median {} is kept: {}", percent(median.latency),
                             reproduced ? "reproduced" : "not reproduced");
        results[i] = std::move(median.cell);
        results[i].remeasured = static_cast<std::uint32_t>(all.size() - 1);
        results[i].reason += "; measured again: " + story;
        now.cells[i] = results[i];
        say(fmt::format("{} {}: {}{}", results[i].hook, results[i].device, story,
                        reproduced ? "" : ", not a regression"));
    }
}

} // namespace hm
