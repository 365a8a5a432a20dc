#include "runners/remeasure.h"

#include <fmt/format.h>

#include <algorithm>

namespace hm {

namespace {
const CellResult* find_cell(std::span<const CellResult> cells, const CellResult& like) {
    for (const CellResult& c : cells)
        if (c.hook == like.hook && c.device == like.device && c.kernel == like.kernel)
            return &c;
    return nullptr;
}

std::string percent(const LatencyChange& l) {
    return fmt::format("{:+.0f}%", l.shift_relative * 100);
}
} // namespace

void remeasure_regressions(HostRunner& runner, std::span<const Cell* const> cells,
                           std::span<CellResult> results, const RunResult& baseline,
                           const RemeasureOptions& options,
                           const std::function<void(const std::string&)>& say) {
    // The whole run's comparison first: it gives the shift of the neighbours each cell is judged
    // against, and its verdict on the cell.
    auto diff =
        compare_cells(baseline.cells, std::vector<CellResult>(results.begin(), results.end()),
                      /*by_kernel=*/true, options.compare);
    if (!diff)
        return; // nothing in common: the caller reports that when it compares
    for (std::size_t i = 0; i < results.size() && i < cells.size(); ++i) {
        const CellResult* base = find_cell(baseline.cells, results[i]);
        if (!base || results[i].verdict != Verdict::Pass)
            continue;
        const auto d = std::ranges::find_if(diff->cells, [&](const CellDiff& c) {
            return c.hook == results[i].hook && c.device == results[i].device;
        });
        if (d == diff->cells.end() || !d->latency || d->latency->trend != LatencyTrend::Slower)
            continue;
        const LatencyChange* first = &*d->latency;
        const double scale = first->base_scale;
        std::string story = "latency " + percent(*first) + " against the baseline";
        for (int attempt = 1; attempt <= options.attempts; ++attempt) {
            CellResult again = runner.run_cell(*cells[i]);
            if (again.verdict != Verdict::Pass)
                break;
            auto l = compare_latency(base->samples_ns, again.samples_ns, options.compare, scale);
            if (!l)
                break;
            story += fmt::format(", {} measured again", percent(*l));
            if (l->trend != LatencyTrend::Slower) {
                again.remeasured = static_cast<std::uint32_t>(attempt);
                again.reason += "; measured again: " + story + ", which is kept";
                say(fmt::format("{} {}: {}: not reproduced, not a regression", results[i].hook,
                                results[i].device, story));
                results[i] = std::move(again);
                story.clear();
                break;
            }
        }
        if (!story.empty()) {
            results[i].remeasured = static_cast<std::uint32_t>(options.attempts);
            results[i].reason += "; measured again: " + story + ": reproduced";
            say(fmt::format("{} {}: {}: reproduced", results[i].hook, results[i].device, story));
        }
    }
}

} // namespace hm
