#include "matrix/compare/compare.h"

#include "matrix/results/cell_order.h"
#include "matrix/stats/stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace hm {

VerdictChange classify_verdicts(Verdict base, Verdict now) {
    using enum Verdict;
    if (base == now)
        return VerdictChange::Same;
    // A hook that fired and now only attaches no longer sees packets: that is a regression too.
    if ((base == Pass || base == Attached) && (now == Fail || now == Error))
        return VerdictChange::Regression;
    if (base == Pass && now == Attached)
        return VerdictChange::Regression;
    if ((base == Fail || base == Error) && (now == Pass || now == Attached))
        return VerdictChange::Fixed;
    if ((base == Unsupported && (now == Pass || now == Attached)) ||
        (base == Attached && now == Pass))
        return VerdictChange::NewSupport;
    if ((base == Pass || base == Attached) && now == Unsupported)
        return VerdictChange::LostSupport;
    return VerdictChange::Changed;
}

std::string_view to_string(VerdictChange c) {
    switch (c) {
    case VerdictChange::Same: return "same";
    case VerdictChange::Regression: return "regression";
    case VerdictChange::Fixed: return "fixed";
    case VerdictChange::NewSupport: return "new-support";
    case VerdictChange::LostSupport: return "lost-support";
    case VerdictChange::Changed: return "changed";
    }
    return "changed";
}

std::string_view to_string(Change c) {
    switch (c) {
    case Change::Unchanged: return "unchanged";
    case Change::Regression: return "regression";
    case Change::Improvement: return "improvement";
    case Change::Changed: return "changed";
    case Change::Added: return "added";
    case Change::Removed: return "removed";
    case Change::Expected: return "expected";
    }
    return "changed";
}

namespace {
using Key = std::tuple<std::string, std::string, std::string>;

Result<std::map<Key, const CellResult*>> index_cells(std::span<const CellResult> cells,
                                                     bool by_kernel, std::string_view side) {
    std::map<Key, const CellResult*> out;
    for (const CellResult& c : cells) {
        Key key{c.hook, c.device, by_kernel ? c.kernel : std::string()};
        if (!out.emplace(key, &c).second)
            return fail(std::string(side) + ": holds the cell " + describe(key_of(c)) + " twice");
    }
    return out;
}

// The upper median: the middle value, the higher of the two middle ones for an even count.
double upper_median(std::vector<double> v) {
    std::ranges::nth_element(v, v.begin() + v.size() / 2);
    return v[v.size() / 2];
}

// The median ratio of the cells run around cell i (itself, kRunNeighbours before and after, the
// window kept whole at either end of the run).
double neighbours_median(const std::vector<std::pair<Key, double>>& ratios, std::size_t i) {
    const std::size_t window = std::min(ratios.size(), 2 * kRunNeighbours + 1);
    const std::size_t from =
        std::min(i > kRunNeighbours ? i - kRunNeighbours : 0, ratios.size() - window);
    std::vector<double> v;
    for (std::size_t k = from; k < from + window; ++k)
        v.push_back(ratios[k].second);
    return upper_median(std::move(v));
}

std::vector<std::string> kernels_of(std::span<const CellResult> cells) {
    std::vector<std::string> out;
    for (const CellResult& c : cells)
        if (std::ranges::find(out, c.kernel) == out.end())
            out.push_back(c.kernel);
    return out;
}

} // namespace

Change overall_change(const CellDiff& d) {
    // Checked first: a cell that moved into a known failure has no latency to judge either.
    if (d.verdict_change != VerdictChange::Same && d.new_expected && d.new_verdict &&
        d.new_expected->outcome_for(*d.new_verdict) == CellResult::Expected::Outcome::Met)
        return Change::Expected;
    const bool slower = d.latency && d.latency->trend == LatencyTrend::Slower;
    const bool faster = d.latency && d.latency->trend == LatencyTrend::Faster;
    if (d.verdict_change == VerdictChange::Regression ||
        d.verdict_change == VerdictChange::LostSupport || slower)
        return Change::Regression;
    if (d.verdict_change == VerdictChange::Fixed || d.verdict_change == VerdictChange::NewSupport ||
        faster)
        return Change::Improvement;
    if (d.verdict_change == VerdictChange::Changed)
        return Change::Changed;
    return Change::Unchanged;
}

DiffSummary count_changes(std::span<const CellDiff> cells) {
    DiffSummary s;
    for (const CellDiff& d : cells)
        switch (d.change) {
        case Change::Unchanged: ++s.unchanged; break;
        case Change::Regression: ++s.regressions; break;
        case Change::Improvement: ++s.improvements; break;
        case Change::Changed: ++s.changed; break;
        case Change::Added: ++s.added; break;
        case Change::Removed: ++s.removed; break;
        case Change::Expected: ++s.expected; break;
        }
    return s;
}

Result<Diff> compare_cells(std::span<const CellResult> base, std::span<const CellResult> now,
                           bool by_kernel, const CompareOptions& options,
                           std::string_view base_name, std::string_view new_name) {
    auto base_index = index_cells(base, by_kernel, base_name);
    if (!base_index)
        return std::unexpected(base_index.error());
    auto new_index = index_cells(now, by_kernel, new_name);
    if (!new_index)
        return std::unexpected(new_index.error());

    std::vector<Key> keys;
    bool common = false;
    for (const auto& [key, cell] : *base_index) {
        keys.push_back(key);
        common = common || new_index->contains(key);
    }
    if (!common) {
        std::string what =
            std::string(base_name) + " and " + std::string(new_name) + " have no cell in common";
        const auto kb = kernels_of(base), kn = kernels_of(now);
        if (by_kernel && kb.size() == 1 && kn.size() == 1 && kb != kn)
            what += fmt::format(" (they ran on kernels {} and {}; compare across kernels with "
                                "--kernels {},{})",
                                kb[0], kn[0], kb[0], kn[0]);
        return fail(what);
    }
    for (const auto& [key, cell] : *new_index)
        if (!base_index->contains(key))
            keys.push_back(key);
    std::ranges::sort(keys, [](const Key& a, const Key& b) {
        return catalogue_less({std::get<0>(a), std::get<1>(a), std::get<2>(a)},
                              {std::get<0>(b), std::get<1>(b), std::get<2>(b)});
    });

    Diff diff{.options = options, .by_kernel = by_kernel};
    // The shifts first, in the new side's order (the order its cells ran in): the whole run's,
    // and around each cell its neighbours' (the machine's state changes in phases of seconds to
    // minutes, which can begin or end in the middle of a run). Neighbours are cells that ran
    // together on both sides: of one origin (a shard, an input of a merge) on each.
    std::vector<double> all;
    std::map<std::pair<std::string, std::string>, std::vector<std::pair<Key, double>>> groups;
    for (const CellResult& c : now) {
        Key key{c.hook, c.device, by_kernel ? c.kernel : std::string()};
        if (auto b = base_index->find(key); b != base_index->end())
            if (const auto& bs = b->second->samples_ns;
                bs.size() >= options.min_samples && c.samples_ns.size() >= options.min_samples) {
                const double ratio = static_cast<double>(summarize(c.samples_ns).p50) /
                                     std::max(static_cast<double>(summarize(bs).p50), 1.0);
                all.push_back(ratio);
                groups[{c.origin, b->second->origin}].emplace_back(key, ratio);
            }
    }
    std::map<Key, double> base_scale;
    if (all.size() >= options.min_cells_for_run) {
        diff.run_shift = upper_median(all);
        diff.run_shift_cells = all.size();
        diff.relative_to_run = options.relative_to_run;
        for (const auto& [origin, ratios] : groups)
            for (std::size_t i = 0; options.relative_to_run && i < ratios.size(); ++i)
                base_scale[ratios[i].first] = neighbours_median(ratios, i);
    }
    for (const Key& key : keys) {
        CellDiff d{.hook = std::get<0>(key), .device = std::get<1>(key)};
        auto b = base_index->find(key);
        auto n = new_index->find(key);
        const CellResult* bc = b == base_index->end() ? nullptr : b->second;
        const CellResult* nc = n == new_index->end() ? nullptr : n->second;
        if (bc) {
            d.base_kernel = bc->kernel;
            d.base_verdict = bc->verdict;
            d.base_reason = bc->reason;
        }
        if (nc) {
            d.new_kernel = nc->kernel;
            d.new_verdict = nc->verdict;
            d.new_reason = nc->reason;
            d.new_expected = nc->expected;
        }
        if (bc && nc) {
            d.verdict_change = classify_verdicts(bc->verdict, nc->verdict);
            const auto scale = base_scale.find(key);
            d.latency = compare_latency(bc->samples_ns, nc->samples_ns, options,
                                        scale == base_scale.end() ? 1.0 : scale->second);
            d.change = overall_change(d);
        } else {
            d.change = bc ? Change::Removed : Change::Added;
        }
        diff.cells.push_back(std::move(d));
    }
    diff.summary = count_changes(diff.cells);
    return diff;
}

Result<std::vector<CellResult>> cells_on_kernel(const RunResult& run, const std::string& release) {
    std::vector<CellResult> out;
    for (const CellResult& c : run.cells)
        if (c.kernel == release)
            out.push_back(c);
    if (out.empty()) {
        const auto kernels = kernels_of(run.cells);
        return fail(fmt::format("no cell ran on kernel '{}' (the file has: {})", release,
                                kernels.empty() ? std::string("no cells")
                                                : fmt::format("{}", fmt::join(kernels, ", "))));
    }
    return out;
}

} // namespace hm
