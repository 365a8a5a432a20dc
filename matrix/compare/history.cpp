#include "matrix/compare/history.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>

namespace hm {

namespace {
using Key = std::tuple<std::string, std::string, std::string>;
// One pair of nights: each cell's change, and the whole run's shift when cells were judged against
// their neighbours (compare.h).
struct Changes {
    std::map<Key, LatencyChange> cells;
    std::optional<double> run_shift;
};

Key key_of(const CellDiff& d) {
    return {d.hook, d.device, d.new_kernel.empty() ? d.base_kernel : d.new_kernel};
}

// Every cell's latency change from `a` to `b`; none when the two share no cell.
Changes changes(const Night& a, const Night& b, const CompareOptions& options) {
    Changes out;
    auto diff = compare_cells(a.run->cells, b.run->cells, /*by_kernel=*/true, options, a.name,
                              b.name);
    if (!diff)
        return out;
    for (const CellDiff& d : diff->cells)
        if (d.latency)
            out.cells.emplace(key_of(d), *d.latency);
    if (diff->relative_to_run)
        out.run_shift = diff->run_shift;
    return out;
}

const LatencyChange* find(const Changes& c, const Key& key) {
    auto it = c.cells.find(key);
    return it == c.cells.end() ? nullptr : &it->second;
}

double median_abs(std::vector<double> v) {
    if (v.empty())
        return 0;
    for (double& x : v)
        x = std::abs(x);
    std::ranges::nth_element(v, v.begin() + v.size() / 2);
    return v[v.size() / 2];
}

// The nights of the series (the window, then tonight) and every pair's changes, computed once.
class Series {
public:
    Series(std::span<const Night> window, const Night& tonight, const CompareOptions& options)
        : nights_(window.begin(), window.end()) {
        nights_.push_back(tonight);
        for (std::size_t a = 0; a < nights_.size(); ++a)
            for (std::size_t b = a + 1; b < nights_.size(); ++b)
                pairs_[{a, b}] = changes(nights_[a], nights_[b], options);
    }
    std::size_t tonight() const { return nights_.size() - 1; }
    const Night& night(std::size_t i) const { return nights_[i]; }
    const LatencyChange* change(std::size_t a, std::size_t b, const Key& key) const {
        return find(pairs_.at({a, b}), key);
    }
    // The cell's change from `a` to `b` against the whole run's shift (its p50 ratio over the
    // median cell's), when the pair's cells were judged against their neighbours.
    std::optional<double> run_relative(std::size_t a, std::size_t b, const Key& key) const {
        const Changes& c = pairs_.at({a, b});
        const LatencyChange* l = find(c, key);
        if (!l || !c.run_shift || *c.run_shift <= 0)
            return std::nullopt;
        return l->ratio / *c.run_shift - 1;
    }
    // Whether every night from `from` on stands apart, all `trend`, from every night before it.
    bool changed_at(std::size_t from, const Key& key, LatencyTrend trend) const {
        for (std::size_t a = 0; a < from; ++a)
            for (std::size_t b = from; b < nights_.size(); ++b) {
                const LatencyChange* c = change(a, b, key);
                if (!c || c->trend != trend)
                    return false;
            }
        return true;
    }

private:
    std::vector<Night> nights_;
    std::map<std::pair<std::size_t, std::size_t>, Changes> pairs_;
};

struct Judged {
    CellHistory history;
    const LatencyChange* shown = nullptr; // the comparison the diff shows for the cell
    LatencyTrend trend = LatencyTrend::Same;
};

// The middle of a sorted list; the mean of the two middle values when it has an even length.
double middle(const std::vector<double>& sorted) {
    const std::size_t n = sorted.size();
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

bool beyond(const Threshold& t, double relative, double ns) {
    return t.unit == Threshold::Unit::Percent ? std::abs(relative) * 100 > t.value
                                              : std::abs(ns) > t.value;
}

// Tonight's latency against the window, by the rules of history.h.
Judged judge_cell(const Series& s, const Key& key, const HistoryOptions& options) {
    Judged j;
    std::vector<const LatencyChange*> against;
    for (std::size_t n = 0; n < s.tonight(); ++n)
        if (const LatencyChange* c = s.change(n, s.tonight(), key))
            against.push_back(c);
    // The spread: between consecutive nights, against the 13 neighbours (as the cell is judged)
    // and against the whole run; the smaller. When the machine's load changes in the middle of
    // a run the neighbours can move by 20-25% while the cell moves by less, and that noise of the
    // normalisation alone would then hide a real change (docs/benchmarks.md, Dec 7).
    std::vector<double> consecutive, consecutive_run;
    for (std::size_t n = 0; n + 1 < s.tonight(); ++n)
        if (const LatencyChange* c = s.change(n, n + 1, key)) {
            consecutive.push_back(c->shift_relative);
            if (const auto run = s.run_relative(n, n + 1, key))
                consecutive_run.push_back(*run);
        }
    CellHistory& h = j.history;
    h.nights = against.size();
    h.spread_neighbours = median_abs(consecutive);
    if (!consecutive_run.empty() && consecutive_run.size() == consecutive.size())
        h.spread_run = median_abs(consecutive_run);
    h.spread = std::min(h.spread_neighbours, h.spread_run.value_or(h.spread_neighbours));
    for (const LatencyChange* c : against) {
        h.slower_than += c->significant && c->shift_ns > 0;
        h.faster_than += c->significant && c->shift_ns < 0;
    }
    if (against.empty())
        return j;
    // The nights sorted by how much slower tonight is than each; the one in the middle is the
    // window's typical night, the comparison the diff shows.
    std::ranges::sort(against, {}, [](const LatencyChange* c) { return c->shift_relative; });
    j.shown = against[against.size() / 2];
    if (against.size() == 1) { // the window of one: today's diff BASE NEW, exactly
        j.trend = j.shown->trend;
        h.shift = j.shown->shift_relative;
        return j;
    }
    auto median_of = [&](auto field) {
        std::vector<double> v;
        for (const LatencyChange* c : against)
            v.push_back(field(*c));
        std::ranges::sort(v);
        return middle(v);
    };
    h.shift = median_of([](const LatencyChange& c) { return c.shift_relative; });
    const double shift_ns = median_of([](const LatencyChange& c) { return c.shift_ns; });
    const double steady = median_of([](const LatencyChange& c) { return c.steady_shift_relative; });
    // Unscaled: tonight's median against the typical night's, without the neighbours' shift.
    const double absolute = median_of([](const LatencyChange& c) { return c.ratio; }) - 1;
    const Threshold& t = options.compare.threshold;
    const double typical_ns = h.shift != 0 ? shift_ns / h.shift : 0; // the typical night's median
    const bool large = beyond(t, h.shift, shift_ns) &&
                       (!options.compare.steady ||
                        (steady * h.shift > 0 && beyond(t, steady, steady * typical_ns)));
    const bool out_of_spread = std::abs(h.shift) > options.spread_factor * h.spread;
    const std::size_t odd = h.nights >= options.odd_night_from ? 1 : 0;
    if (large && out_of_spread && h.shift > 0 && absolute > 0 && h.slower_than + odd >= h.nights)
        j.trend = LatencyTrend::Slower;
    else if (large && out_of_spread && h.shift < 0 && absolute < 0 &&
             h.faster_than + odd >= h.nights)
        j.trend = LatencyTrend::Faster;
    // A change that began on an earlier night of the window and held: the most recent such night.
    for (std::size_t from = s.tonight() - 1; from >= 1 && j.trend == LatencyTrend::Same; --from)
        for (LatencyTrend trend : {LatencyTrend::Slower, LatencyTrend::Faster})
            if (h.since.empty() && s.changed_at(from, key, trend)) {
                h.since = s.night(from).name;
                h.since_trend = trend;
            }
    return j;
}
} // namespace

Result<Diff> compare_with_history(std::span<const Night> window, const Night& tonight,
                                  const HistoryOptions& options) {
    if (window.empty())
        return fail("no night to compare " + tonight.name + " with");
    HistoryOptions o = options;
    if (window.size() > 1)
        o.compare.steady = options.steady_in_history;
    auto diff = compare_cells(window.back().run->cells, tonight.run->cells, /*by_kernel=*/true,
                              o.compare, window.back().name, tonight.name);
    if (!diff)
        return diff;
    const Series series(window, tonight, o.compare);
    for (const Night& n : window)
        diff->history.push_back(n.name);
    for (CellDiff& d : diff->cells) {
        if (!d.base_verdict || !d.new_verdict)
            continue;
        Judged j = judge_cell(series, key_of(d), o);
        if (!j.shown) {
            d.latency.reset();
        } else {
            d.latency = *j.shown;
            d.latency->trend = j.trend;
        }
        d.history = std::move(j.history);
        d.change = overall_change(d);
    }
    diff->summary = count_changes(diff->cells);
    return diff;
}

} // namespace hm
