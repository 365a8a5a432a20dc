// Planning and judging must stay negligible next to the kernel work a cell does.
#include "matrix/enumerate.h"
#include "matrix/stats/stats.h"
#include "runners/judge.h"

#include <benchmark/benchmark.h>

#include <random>

namespace {

void BM_EnumerateDefaultMatrix(benchmark::State& state) {
    for (auto _ : state) {
        auto plan = hm::enumerate({});
        benchmark::DoNotOptimize(plan);
    }
}
BENCHMARK(BM_EnumerateDefaultMatrix);

void BM_JudgeAndSummarize(benchmark::State& state) {
    const auto n = static_cast<std::uint32_t>(state.range(0));
    std::vector<hm_event> events;
    hm::Observation obs{.hook_id = 1};
    std::mt19937_64 rng(42);
    for (std::uint32_t i = 0; i < n; ++i) {
        obs.send_ns.push_back(i * 1'000'000ull);
        obs.replied.push_back(true);
        events.push_back({.ts_ns = i * 1'000'000ull + 2'000 + rng() % 3'000, .seq = i,
                          .hook_id = 1, .icmp_type = HM_ICMP_ECHO_REQUEST});
    }
    obs.events = events;
    for (auto _ : state) {
        auto j = hm::judge(obs);
        auto s = hm::summarize(j.samples_ns);
        benchmark::DoNotOptimize(s);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * n);
}
BENCHMARK(BM_JudgeAndSummarize)->Arg(200)->Arg(100'000);

} // namespace
