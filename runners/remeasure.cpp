#include "runners/remeasure.h"

#include "matrix/compare/compare.h"
#include "matrix/results/rounds.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
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

bool slower(const std::optional<LatencyChange>& l) {
    return l && l->trend == LatencyTrend::Slower;
}

// The cells `which` measured again as the run measured them: `rounds` rounds, each round over all
// of them in run order, so that every cell's rounds spread over the same stretch of time as its
// neighbours'. A cell that stops passing is measured no further.
std::map<std::size_t, CellResult> measure(HostRunner& runner, std::span<const Cell* const> cells,
                                          std::span<const std::size_t> which, unsigned rounds) {
    std::map<std::size_t, CellResult> out;
    for (std::size_t i : which)
        out.emplace(i, runner.run_cell(*cells[i]));
    for (unsigned round = 2; round <= rounds; ++round)
        for (auto& [i, cell] : out)
            if (cell.verdict == Verdict::Pass)
                join_round(cell, runner.run_cell(*cells[i]), round);
    return out;
}

// Every measurement of a regressed cell, with its judgement.
struct Measured {
    CellResult cell;
    LatencyChange latency;
};

// A regressed cell's measurements so far, what its reason will tell of them, and whether an
// attempt failed (which ends its attempts).
struct Regressed {
    std::vector<Measured> all;
    std::string story;
    bool ended = false;
};
} // namespace

std::size_t deciding_measurement(std::span<const double> shifts) {
    std::vector<std::size_t> order(shifts.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::ranges::stable_sort(order, {}, [&](std::size_t i) { return shifts[i]; });
    return order.empty() ? 0 : order[(order.size() - 1) / 2];
}

std::vector<std::size_t> measured_together(const std::vector<bool>& passing,
                                           std::span<const std::size_t> regressed) {
    std::vector<std::size_t> pass; // the passing cells, in run order: those diff compares
    for (std::size_t i = 0; i < passing.size(); ++i)
        if (passing[i])
            pass.push_back(i);
    const std::size_t window = std::min(pass.size(), 2 * kRunNeighbours + 1);
    std::vector<bool> in(passing.size(), false);
    for (std::size_t r : regressed) {
        const auto at = std::ranges::lower_bound(pass, r);
        if (at == pass.end() || *at != r)
            continue;
        const auto p = static_cast<std::size_t>(at - pass.begin());
        const std::size_t from =
            std::min(p > kRunNeighbours ? p - kRunNeighbours : 0, pass.size() - window);
        for (std::size_t k = from; k < from + window; ++k)
            in[pass[k]] = true;
    }
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < in.size(); ++i)
        if (in[i])
            out.push_back(i);
    return out;
}

void remeasure_regressions(HostRunner& runner, std::span<const Cell* const> cells,
                           std::span<CellResult> results, const RunResult& run,
                           const Baseline& baseline, const RemeasureOptions& options,
                           const std::function<void(const std::string&)>& say) {
    const std::string against =
        baseline.nights.size() > 1 ? "against the history" : "against the baseline";
    auto whole = compare_with_baseline(baseline, run, "now");
    if (!whole)
        return; // nothing in common: the caller reports that when it compares
    const std::size_t n = std::min(results.size(), cells.size());
    std::vector<bool> passing(n);
    std::map<std::size_t, Regressed> regressed; // by cell index
    for (std::size_t i = 0; i < n; ++i) {
        passing[i] = results[i].verdict == Verdict::Pass;
        if (const auto first = latency_of(whole->diff, results[i]); passing[i] && slower(first)) {
            regressed[i] = {.all = {{results[i], *first}},
                            .story = "latency " + percent(*first) + " " + against};
        }
    }
    if (regressed.empty())
        return;
    std::vector<std::size_t> flagged;
    for (const auto& [i, r] : regressed)
        flagged.push_back(i);
    // Measured again with the cells run around it, which are measured again too and stand in the
    // run beside it when it is judged: the machine's state of the moment then moves the cell and
    // its neighbours alike and is taken out, as it was for the first measurement. Measured alone,
    // minutes later and against the first run's neighbours, the machine's level of that moment
    // decided (two real +20% slowdowns read +4% and +1%: docs/benchmarks.md, Dec 7).
    const std::vector<std::size_t> together = measured_together(passing, flagged);
    for (int attempt = 1; attempt <= options.attempts; ++attempt) {
        const bool one = flagged.size() == 1;
        say(fmt::format("{} {} that regressed, with the {} cells run around {}, {} round{} each "
                        "(attempt {} of {})",
                        flagged.size(), one ? "cell" : "cells", together.size() - flagged.size(),
                        one ? "it" : "them", options.rounds, options.rounds == 1 ? "" : "s",
                        attempt, options.attempts));
        auto again = measure(runner, cells, together, options.rounds);
        RunResult tried = run;
        for (const auto& [i, cell] : again)
            if (cell.verdict == Verdict::Pass)
                tried.cells[i] = cell;
        const auto judged = compare_with_baseline(baseline, tried, "now");
        if (!judged)
            break;
        for (auto& [i, r] : regressed) {
            if (r.ended)
                continue;
            const auto l = again.at(i).verdict == Verdict::Pass
                               ? latency_of(judged->diff, again.at(i))
                               : std::nullopt;
            if (!l) {
                r.ended = true;
                continue;
            }
            r.story += options.rounds > 1 ? fmt::format(", {} measured again in {} rounds",
                                                        percent(*l), options.rounds)
                                          : fmt::format(", {} measured again", percent(*l));
            r.all.push_back({std::move(again.at(i)), *l});
        }
    }
    for (auto& [i, r] : regressed) {
        if (r.all.size() == 1) { // it could not be measured again: the first stands
            results[i].reason += "; measured again: " + r.story + ", which could not be repeated";
            say(fmt::format("{} {}: {}, which could not be repeated", results[i].hook,
                            results[i].device, r.story));
            continue;
        }
        // The median (by shift) decides and is kept, so that one measurement taken in an odd
        // state of the machine decides nothing either way.
        std::vector<double> shifts;
        for (const Measured& m : r.all)
            shifts.push_back(m.latency.shift_relative);
        Measured& median = r.all[deciding_measurement(shifts)];
        const bool reproduced = slower(median.latency);
        r.story += fmt::format(", the median {} is kept: {}", percent(median.latency),
                               reproduced ? "reproduced" : "not reproduced");
        results[i] = std::move(median.cell);
        results[i].remeasured = static_cast<std::uint32_t>(r.all.size() - 1);
        results[i].reason += "; measured again: " + r.story;
        say(fmt::format("{} {}: {}{}", results[i].hook, results[i].device, r.story,
                        reproduced ? "" : ", not a regression"));
    }
}

} // namespace hm
