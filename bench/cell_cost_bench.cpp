// What hookmatrix costs per cell, against the classic shell recipe doing the same cell
// (bench/classic_recipe.h), and what the whole default matrix costs. Goals (issue 7): a veth cell
// at least 10x cheaper than the recipe in the same run (`ratio`, `goal_met`), the default matrix
// under 2 s wall (`wall_s`, `goal_met`).
#include "classic_recipe.h"
#include "core/cpu_pin.h"
#include "matrix/devices.h"
#include "matrix/features.h"
#include "matrix/spec.h"
#include "runners/host_runner.h"
#include "runners/traffic/icmp_echo.h"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#ifndef HM_RECIPE_OBJECTS_DIR
#error "bench/CMakeLists.txt sets HM_RECIPE_OBJECTS_DIR to where recipe_*.bpf.o are built"
#endif

namespace {

constexpr std::uint32_t kPackets = 100; // the default spec's packets per cell

double quantile(std::vector<double> v, double q) {
    std::ranges::sort(v);
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

// Median and spread (the 10th to 90th percentile, relative to the median) of one side.
void report(benchmark::State& state, const std::string& prefix, const std::vector<double>& s) {
    if (s.empty())
        return;
    const double median = quantile(s, 0.5);
    state.counters[prefix + "_ms"] = median * 1e3;
    state.counters[prefix + "_spread_pct"] =
        median > 0 ? (quantile(s, 0.9) - quantile(s, 0.1)) / median * 100 : 0;
}

// hookmatrix pins a run to one CPU (core/cpu_pin.h); both sides run pinned the same way, and the
// recipe's tools inherit the pin.
std::optional<hm::CpuPin> pin(benchmark::State& state) {
    auto p = hm::CpuPin::pin(std::nullopt);
    if (!p) {
        state.SkipWithError(p.error().message().c_str());
        return std::nullopt;
    }
    return std::move(*p);
}

// Per iteration one hookmatrix cell and, where the recipe can express the hook, the recipe's cell,
// one after the other so both meet the same machine. The benchmark's time is hookmatrix's.
void BM_CellCost(benchmark::State& state, const char* hook_name) {
    if (::geteuid() != 0) {
        state.SkipWithError("needs root: namespaces, devices, BPF");
        return;
    }
    const hm::HookSpec& hook = *hm::find_hook(hook_name);
    const hm::Cell cell{&hook, hm::find_device("veth"), "host"};
    auto features = hm::running_kernel_features();
    if (hm::Support s = features->hook(hook); !s.supported) {
        state.SkipWithError(("unsupported here: " + s.reason).c_str());
        return;
    }
    auto pinned = pin(state);
    if (!pinned)
        return;
    hm::HostRunner runner(*features, {.packets = kPackets});
    const char* recipe = hm::bench::recipe_hook(hook.family);
    const bool compare = recipe && hook.name == recipe;
    std::vector<double> ours, theirs;
    std::size_t commands = 0;
    for (auto _ : state) {
        const std::uint64_t t0 = hm::monotonic_ns();
        hm::CellResult r = runner.run_cell(cell);
        const double own_s = static_cast<double>(hm::monotonic_ns() - t0) / 1e9;
        if (r.verdict != hm::Verdict::Pass) {
            state.SkipWithError(("hookmatrix cell " + r.hook + ": " + r.reason).c_str());
            return;
        }
        ours.push_back(own_s);
        state.SetIterationTime(own_s);
        if (!compare)
            continue;
        const std::uint64_t t1 = hm::monotonic_ns();
        auto rr = hm::bench::run_recipe_cell(hook, kPackets, HM_RECIPE_OBJECTS_DIR);
        const double recipe_s = static_cast<double>(hm::monotonic_ns() - t1) / 1e9;
        if (!rr) {
            state.SkipWithError(
                (rr.error().message() + (rr.error().detail.empty() ? "" : ": ") +
                 rr.error().detail)
                    .c_str());
            return;
        }
        if (rr->replies != kPackets) {
            state.SkipWithError("classic recipe: echo replies went missing");
            return;
        }
        theirs.push_back(recipe_s);
        commands = rr->commands;
    }
    report(state, "hookmatrix", ours);
    if (!compare)
        return;
    report(state, "recipe", theirs);
    const double ratio = quantile(theirs, 0.5) / quantile(ours, 0.5);
    state.counters["ratio"] = ratio;
    state.counters["goal_met"] = ratio >= 10 ? 1 : 0;
    state.counters["recipe_commands"] = static_cast<double>(commands);
}

// One hook per family on veth (tun-steering exists only on tap). The first three have a classic
// recipe to compare with.
BENCHMARK_CAPTURE(BM_CellCost, xdp, "xdpgeneric")->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CellCost, tc, "tc-ingress")->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CellCost, xt_bpf, "xt-bpf-input")
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CellCost, tcx, "tcx-ingress")->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CellCost, netfilter, "netfilter-local-in")
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CellCost, socket_filter, "socket-filter")
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CellCost, cgroup_skb, "cgroup-skb-ingress")
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// The default matrix as `hookmatrix run` runs it (no choir): a fresh feature probe per iteration,
// as each run makes one. Per family seconds (`xdp_s`, with teardown in `xdp_teardown_s`) show where
// the time goes: XDP attach and detach wait for RCU grace periods.
void BM_DefaultMatrix(benchmark::State& state) {
    if (::geteuid() != 0) {
        state.SkipWithError("needs root: namespaces, devices, BPF");
        return;
    }
    auto plan = hm::plan_from_spec(hm::default_spec());
    if (!plan) {
        state.SkipWithError(plan.error().message().c_str());
        return;
    }
    auto pinned = pin(state);
    if (!pinned)
        return;
    std::vector<double> walls;
    std::map<std::string, double> by_family;
    std::size_t bad = 0;
    for (auto _ : state) {
        const std::uint64_t t0 = hm::monotonic_ns();
        auto features = hm::running_kernel_features();
        hm::HostRunner runner(*features, {.packets = kPackets});
        for (const hm::Cell& cell : plan->cells) {
            const std::uint64_t c0 = hm::monotonic_ns();
            hm::CellResult r = runner.run_cell(cell);
            const double whole = static_cast<double>(hm::monotonic_ns() - c0) / 1e9;
            bad += r.verdict == hm::Verdict::Fail || r.verdict == hm::Verdict::Error;
            const std::string family(hm::to_string(cell.hook->family));
            by_family[family + "_s"] += whole;
            // A cell's duration_s ends before its objects are destroyed: what is left is
            // teardown (detach, unload, the namespaces), where XDP detach waits for RCU.
            by_family["teardown_s"] += whole - r.duration_s;
            by_family[family + "_teardown_s"] += whole - r.duration_s;
        }
        const double wall = static_cast<double>(hm::monotonic_ns() - t0) / 1e9;
        walls.push_back(wall);
        state.SetIterationTime(wall);
    }
    const double median = quantile(walls, 0.5);
    state.counters["cells"] = static_cast<double>(plan->cells.size());
    state.counters["wall_s"] = median;
    state.counters["goal_met"] = median < 2.0 ? 1 : 0;
    const auto n = static_cast<double>(walls.size());
    for (const auto& [name, seconds] : by_family)
        state.counters[name] = seconds / n;
    if (bad)
        state.SkipWithError("a cell of the default matrix failed or errored: run `hookmatrix run`");
}
BENCHMARK(BM_DefaultMatrix)->UseManualTime()->Unit(benchmark::kSecond);

} // namespace
