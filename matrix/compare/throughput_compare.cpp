#include "matrix/compare/throughput_compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace hm {

double separation_p(std::size_t n, std::size_t m) {
    if (n == 0 || m == 0)
        return 1;
    // C(n+m, n) as a product of ratios, in doubles: exact enough for any window count.
    double c = 1;
    for (std::size_t i = 1; i <= n; ++i)
        c = c * static_cast<double>(m + i) / static_cast<double>(i);
    return std::min(1.0, 2 / c);
}

ThroughputDiff compare_throughput(std::span<const ThroughputResult> base,
                                  std::span<const ThroughputResult> now, bool by_kernel,
                                  const CompareOptions& options) {
    const bool percent = options.threshold.unit == Threshold::Unit::Percent;
    const double threshold = percent ? options.threshold.value / 100 : 0.10;
    auto same = [&](const ThroughputResult& a, const ThroughputResult& b) {
        return a.hook == b.hook && a.device == b.device && a.source == b.source &&
               (!by_kernel || a.kernel == b.kernel);
    };
    ThroughputDiff diff;
    for (const ThroughputResult& b : base) {
        ThroughputChange c{
            .hook = b.hook, .device = b.device, .source = b.source, .base_kernel = b.kernel};
        auto n = std::ranges::find_if(now, [&](const ThroughputResult& x) { return same(b, x); });
        if (n == now.end()) {
            c.change = Change::Removed;
            diff.changes.push_back(std::move(c));
            continue;
        }
        c.new_kernel = n->kernel;
        c.base_windows = b.windows.size();
        c.new_windows = n->windows.size();
        c.base_pps = b.pps_median();
        c.new_pps = n->pps_median();
        if (b.verdict != Verdict::Pass || n->verdict != Verdict::Pass || c.base_pps <= 0) {
            c.change = b.verdict == n->verdict ? Change::Unchanged : Change::Changed;
            c.note = fmt::format("not compared: {} in base, {} in new", to_string(b.verdict),
                                 to_string(n->verdict));
            diff.changes.push_back(std::move(c));
            continue;
        }
        c.relative = c.new_pps / c.base_pps - 1;
        const auto bs = b.pps_samples(), ns = n->pps_samples();
        const bool slower = std::ranges::max(ns) < std::ranges::min(bs);
        const bool faster = std::ranges::min(ns) > std::ranges::max(bs);
        c.separated = slower || faster;
        if (c.separated)
            c.p = separation_p(bs.size(), ns.size());
        const bool significant = c.separated && c.p < options.alpha;
        if (significant && std::abs(c.relative) > threshold)
            c.change = slower ? Change::Regression : Change::Improvement;
        if (separation_p(bs.size(), ns.size()) >= options.alpha)
            c.note = fmt::format("{} and {} windows cannot show a change at alpha {:g}: use more "
                                 "--windows",
                                 bs.size(), ns.size(), options.alpha);
        if (!percent)
            c.note += std::string(c.note.empty() ? "" : "; ") +
                      "threshold in time units: 10% of the rate used";
        diff.changes.push_back(std::move(c));
    }
    for (const ThroughputResult& n : now)
        if (std::ranges::none_of(base, [&](const ThroughputResult& b) { return same(b, n); }))
            diff.changes.push_back({.hook = n.hook,
                                    .device = n.device,
                                    .source = n.source,
                                    .new_kernel = n.kernel,
                                    .change = Change::Added});
    for (const auto& c : diff.changes) {
        diff.regressions += c.change == Change::Regression;
        diff.improvements += c.change == Change::Improvement;
    }
    return diff;
}

} // namespace hm
