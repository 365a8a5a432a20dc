#include "matrix/compare/support_since.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>

namespace hm {

namespace {
bool works(Verdict v) { return v == Verdict::Pass || v == Verdict::Attached; }

template <class T> void add_once(std::vector<T>& v, const T& x) {
    if (std::ranges::find(v, x) == v.end())
        v.push_back(x);
}

void judge(SupportRow& row) {
    for (std::size_t i = 0; i < row.kernels.size(); ++i) {
        const Verdict v = row.kernels[i].verdict;
        if (v == Verdict::Error)
            row.unknown.push_back(i);
        else if (works(v)) {
            if (!row.since)
                row.since = i;
        } else if (row.since)
            row.lost.push_back(i);
        else
            row.last_without = i;
    }
}
} // namespace

std::vector<SupportRow> support_since(const RunResult& result, const KernelAxis& axis) {
    std::vector<std::string> hooks, devices;
    std::map<std::pair<std::string, std::string>, std::vector<const CellResult*>> cells;
    for (const auto& c : result.cells) {
        add_once(hooks, c.hook);
        add_once(devices, c.device);
        cells[{c.hook, c.device}].push_back(&c);
    }
    std::vector<SupportRow> rows;
    rows.reserve(cells.size());
    for (const auto& device : devices)
        for (const auto& hook : hooks) {
            auto it = cells.find({hook, device});
            if (it == cells.end())
                continue;
            auto ordered = it->second;
            std::ranges::stable_sort(ordered, {}, [&](const CellResult* c) {
                return axis.rank(c->kernel);
            });
            SupportRow& row = rows.emplace_back(SupportRow{.hook = hook, .device = device});
            for (const CellResult* c : ordered)
                row.kernels.push_back({c->kernel, c->verdict, c->reason});
            judge(row);
        }
    return rows;
}

std::vector<std::string> support_devices(const std::vector<SupportRow>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows)
        add_once(out, r.device);
    return out;
}

std::string since_text(const SupportRow& row, const KernelAxis& axis) {
    auto name = [&](std::size_t i) { return axis.of(row.kernels[i].kernel).label(); };
    std::string out;
    if (!row.since)
        out = row.unknown.size() == row.kernels.size() ? "unknown: an error on every kernel"
                                                        : "on no kernel of the run";
    else if (row.everywhere())
        out = row.kernels.size() == axis.kernels().size()
                  ? "on every kernel of the run"
                  : fmt::format("on every kernel it ran on ({} of the run's {})",
                                row.kernels.size(), axis.kernels().size());
    else
        out = "since " + name(*row.since);
    if (row.since && row.last_without)
        out += " (not on " + name(*row.last_without) + ")";
    for (std::size_t i = 0; i < row.lost.size(); ++i)
        out += (i ? ", " : "; LOST on ") + name(row.lost[i]);
    if (row.since && !row.lost.empty())
        out += " (a regression in support)";
    for (std::size_t i = 0; i < row.unknown.size() && row.unknown.size() < row.kernels.size(); ++i)
        out += (i ? ", " : "; error on ") + name(row.unknown[i]);
    return out;
}

} // namespace hm
