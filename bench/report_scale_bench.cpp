// Planning and reporting must grow linearly with the matrix: a nightly run over many kernels must
// not spend its time in hookmatrix. Synthetic results only (no kernel needed): 50 hooks x 4
// devices x K kernels with 100 latency samples per cell, the reports made as `hookmatrix report`
// makes them. Google Benchmark fits the growth (`_BigO`, `_RMS`) over K = 1..20.
#include "matrix/enumerate.h"
#include "matrix/results/result.h"
#include "matrix/stats/stats.h"
#include "reports/html_reporter.h"
#include "reports/junit_reporter.h"
#include "reports/markdown_reporter.h"
#include "matrix/results/results_json.h"

#include <benchmark/benchmark.h>

#include <functional>
#include <random>
#include <string>

namespace {

constexpr int kHooks = 50;
constexpr int kDevices = 4;
constexpr int kSamples = 100;

// Mostly passes, with every other verdict present so each report takes its every branch.
hm::RunResult synthetic_run(int kernels) {
    hm::RunResult run;
    run.run.tool_version = "bench";
    run.run.host = "bench-host";
    run.run.kernel_release = "synthetic";
    run.run.started = std::chrono::system_clock::time_point{};
    run.run.packets_per_cell = kSamples;
    std::mt19937_64 rng(7);
    for (int k = 0; k < kernels; ++k)
        for (int h = 0; h < kHooks; ++h)
            for (int d = 0; d < kDevices; ++d) {
                hm::CellResult c{.hook = "hook-" + std::to_string(h),
                                 .device = "dev-" + std::to_string(d),
                                 .kernel = "6." + std::to_string(k) + ".0-synthetic"};
                const auto pick = rng() % 20;
                c.verdict = pick == 0   ? hm::Verdict::Fail
                            : pick == 1 ? hm::Verdict::Unsupported
                            : pick == 2 ? hm::Verdict::Error
                                        : hm::Verdict::Pass;
                c.reason = c.verdict == hm::Verdict::Pass
                               ? "fired once per echo request for all 100 packets"
                               : "synthetic <reason> & \"quoted\" for escaping";
                if (c.verdict == hm::Verdict::Error)
                    c.detail = std::string(2000, 'v'); // a verifier log's size
                c.attachment = "tc clsact ingress on dut, direct-action, prog id 42";
                if (c.verdict == hm::Verdict::Pass) {
                    c.packets_sent = c.replies = c.fired = kSamples;
                    for (int s = 0; s < kSamples; ++s)
                        c.samples_ns.push_back(2'000 + rng() % 8'000);
                    c.latency = hm::summarize(c.samples_ns);
                }
                c.duration_s = 0.02;
                run.cells.push_back(std::move(c));
            }
    return run;
}

void BM_Report(benchmark::State& state, std::function<std::string(const hm::RunResult&)> make) {
    const hm::RunResult run = synthetic_run(static_cast<int>(state.range(0)));
    std::size_t bytes = 0;
    for (auto _ : state) {
        std::string out = make(run);
        bytes = out.size();
        benchmark::DoNotOptimize(out);
    }
    state.SetComplexityN(static_cast<std::int64_t>(run.cells.size()));
    state.counters["cells"] = static_cast<double>(run.cells.size());
    state.counters["bytes"] = static_cast<double>(bytes);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * run.cells.size()));
}

#define HM_REPORT_BENCH(name, ...)                                                                \
    BENCHMARK_CAPTURE(BM_Report, name, __VA_ARGS__)                                               \
        ->Arg(1)                                                                                  \
        ->Arg(2)                                                                                  \
        ->Arg(5)                                                                                  \
        ->Arg(10)                                                                                 \
        ->Arg(20)                                                                                 \
        ->Complexity(benchmark::oN)                                                               \
        ->Unit(benchmark::kMillisecond)

HM_REPORT_BENCH(json, [](const hm::RunResult& r) { return hm::to_json(r).dump(); });
HM_REPORT_BENCH(html, [](const hm::RunResult& r) { return hm::html_report(r); });
HM_REPORT_BENCH(junit, [](const hm::RunResult& r) { return hm::junit_xml(r); });
HM_REPORT_BENCH(markdown, [](const hm::RunResult& r) { return hm::markdown_report(r); });

// Enumeration of the catalogue (every hook x every device) over K kernels, as a spec naming K
// kernels would plan it.
void BM_EnumerateKernels(benchmark::State& state) {
    hm::Selection sel;
    for (int k = 0; k < state.range(0); ++k)
        sel.kernels.push_back("debian:6." + std::to_string(k));
    std::size_t cells = 0;
    for (auto _ : state) {
        auto plan = hm::enumerate(sel);
        if (!plan) {
            state.SkipWithError(plan.error().message().c_str());
            return;
        }
        cells = plan->cells.size() + plan->excluded.size();
        benchmark::DoNotOptimize(plan);
    }
    state.SetComplexityN(static_cast<std::int64_t>(cells));
    state.counters["cells"] = static_cast<double>(cells);
}
BENCHMARK(BM_EnumerateKernels)
    ->Arg(1)
    ->Arg(2)
    ->Arg(5)
    ->Arg(10)
    ->Arg(20)
    ->Complexity(benchmark::oN);

} // namespace
