#include "matrix/results/merge.h"

#include "matrix/results/cell_order.h"
#include "matrix/results/kernel_axis.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace hm {

namespace {
void add_distinct(std::vector<std::string>& list, const std::string& value) {
    if (std::ranges::find(list, value) == list.end())
        list.push_back(value);
}

std::string conflict(const std::string& first, const std::string& second, const std::string& what) {
    if (first == second)
        return first + " holds " + what + " twice";
    return first + " and " + second + " both hold " + what;
}
} // namespace

Result<RunResult> merge_runs(const std::vector<MergeInput>& inputs, const std::string& command) {
    if (inputs.empty())
        return fail("nothing to merge");
    RunResult out;
    const RunInfo& first = inputs.front().run.run;
    out.run.tool_version = first.tool_version;
    out.run.libbpf_version = first.libbpf_version;
    out.run.host = first.host;
    out.run.kernel_release = first.kernel_release;
    out.run.cpu = first.cpu;
    out.run.command_line = command;
    out.run.started = first.started;
    out.run.packets_per_cell = first.packets_per_cell;
    std::vector<std::string> hosts, kernels;
    bool same_packets = true;
    for (const MergeInput& in : inputs) {
        const RunInfo& r = in.run.run;
        out.run.started = std::min(out.run.started, r.started);
        out.run.duration_s += r.duration_s;
        same_packets = same_packets && r.packets_per_cell == first.packets_per_cell;
        out.run.packets_per_cell = std::max(out.run.packets_per_cell, r.packets_per_cell);
        // An input that is itself a merge brings its own lists.
        for (const auto& h : r.hosts.empty() ? std::vector{r.host} : r.hosts)
            add_distinct(hosts, h);
        for (const auto& k : r.kernels.empty() ? std::vector{r.kernel_release} : r.kernels)
            add_distinct(kernels, k);
        // Shards of one run each list the same kernels: keep one entry per name and release.
        for (const KernelRun& k : r.kernel_runs) {
            if (!k.release.empty())
                add_distinct(kernels, k.release);
            if (std::ranges::none_of(out.run.kernel_runs, [&](const KernelRun& o) {
                    return o.name == k.name && o.release == k.release;
                }))
                out.run.kernel_runs.push_back(k);
        }
    }
    sort_kernel_runs(out.run.kernel_runs);
    if (same_packets)
        out.run.packets_per_cell = first.packets_per_cell;
    if (hosts.size() > 1)
        out.run.hosts = std::move(hosts);
    if (kernels.size() > 1)
        out.run.kernels = std::move(kernels);

    using Key = std::tuple<std::string, std::string, std::string>;
    std::map<Key, const std::string*> seen_cells, seen_choirs;
    for (const MergeInput& in : inputs) {
        for (const CellResult& c : in.run.cells) {
            auto [it, fresh] = seen_cells.emplace(Key{c.hook, c.device, c.kernel}, &in.source);
            if (!fresh)
                return fail(conflict(*it->second, in.source, "the cell " + describe(key_of(c))));
            out.cells.push_back(c);
            // Where it ran, unless an earlier merge already said so.
            if (out.cells.back().origin.empty())
                out.cells.back().origin =
                    in.run.run.shard.empty() ? in.source : "shard " + in.run.run.shard;
        }
        for (const ChoirResult& c : in.run.choirs) {
            auto [it, fresh] = seen_choirs.emplace(Key{"", c.device, c.kernel}, &in.source);
            if (!fresh)
                return fail(conflict(*it->second, in.source,
                                     "a choir on " + c.device + ", kernel " + c.kernel +
                                         " (conflicting choirs: run --choir once per device)"));
            out.choirs.push_back(c);
        }
    }
    std::ranges::stable_sort(out.cells, [](const CellResult& a, const CellResult& b) {
        return catalogue_less(key_of(a), key_of(b));
    });
    std::ranges::stable_sort(out.choirs, [](const ChoirResult& a, const ChoirResult& b) {
        return catalogue_less({"", a.device, a.kernel}, {"", b.device, b.kernel});
    });
    return out;
}

} // namespace hm
