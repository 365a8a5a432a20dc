// What the probe itself costs per packet: BPF_PROG_TEST_RUN of the probe against an empty program
// of the same type on the same hookmatrix echo frame, both in the same benchmark, so `added_ns`
// (probe minus empty) is the measurement overhead hookmatrix adds to every latency it reports.
// `goal_met` is 1 when that is under the 100 ns goal (issue 7).
//
// Two shapes of traffic:
// - per_packet: one run per syscall with the event table read before each, as a cell sends its
//   echoes (runners/traffic/echo_run.cpp collects after every reply). This is the figure the goal
//   is about.
// - batch: 256 runs per syscall: warm caches.
#include "core/unique_fd.h"
#include "hookmatrix/event.h"
#include "matrix/hooks.h"
#include "runners/programs/event_table.h"
#include "runners/programs/probe.h"
#include "runners/programs/program.h"
#include "runners/traffic/icmp_echo.h"

#include <benchmark/benchmark.h>
#include <bpf/bpf.h>
#include <unistd.h>

#include <array>
#include <span>

namespace {

constexpr std::uint32_t kMagic = 0x686d6231;
constexpr double kGoalNs = 100;
constexpr std::uint32_t kSeq = 7; // the frame's sequence number

hm::UniqueFd empty_program(std::uint32_t type, std::uint32_t ret) {
    // r0 = ret; exit
    bpf_insn insns[] = {
        {.code = BPF_ALU64 | BPF_MOV | BPF_K,
         .dst_reg = 0,
         .src_reg = 0,
         .off = 0,
         .imm = static_cast<std::int32_t>(ret)},
        {.code = BPF_JMP | BPF_EXIT, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0},
    };
    return hm::UniqueFd(bpf_prog_load(static_cast<bpf_prog_type>(type), "hm_empty", "GPL", insns, 2, nullptr));
}

// The kernel's own ns per run of `prog_fd` (BPF_PROG_TEST_RUN's duration), or a negative value.
double test_run(int prog_fd, std::span<std::uint8_t> frame, int repeat) {
    LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(),
                .data_size_in = static_cast<std::uint32_t>(frame.size()), .repeat = repeat);
    if (bpf_prog_test_run_opts(prog_fd, &opts) != 0)
        return -1;
    return opts.duration;
}

// `matching`: the frame carries the run's magic (the probe records it); otherwise it is someone
// else's ICMP echo, which the probe must pass over as cheaply as it can.
void BM_ProbeCost(benchmark::State& state, const char* hook_name, int repeat, bool matching) {
    if (::geteuid() != 0) {
        state.SkipWithError("needs root to load BPF programs");
        return;
    }
    const hm::HookSpec& hook = *hm::find_hook(hook_name);
    hm::UniqueFd empty = empty_program(hook.prog_type, hook.pass_action);
    if (empty.get() < 0) {
        state.SkipWithError("cannot load the empty program");
        return;
    }
    auto table = hm::EventTable::create();
    if (!table) {
        state.SkipWithError(table.error().message().c_str());
        return;
    }
    auto probe =
        hm::load_probe(hook, {.hook_id = 1, .magic = kMagic, .events_fd = (*table)->map_fd()});
    if (!probe) {
        state.SkipWithError(probe.error().message().c_str());
        return;
    }
    auto frame = hm::echo_frame(HM_ICMP_ECHO_REQUEST, matching ? kMagic : ~kMagic, kSeq);
    double empty_ns = 0, probe_ns = 0;
    for (auto _ : state) {
        const double e = test_run(empty.get(), frame, repeat);
        const double p = test_run((*probe)->fd(), frame, repeat);
        if (e < 0 || p < 0) {
            state.SkipWithError("BPF_PROG_TEST_RUN failed");
            return;
        }
        empty_ns += e;
        probe_ns += p;
        (*table)->collect(kSeq, kSeq + 1);
    }
    const auto n = static_cast<double>(state.iterations());
    const double added = (probe_ns - empty_ns) / n;
    state.counters["empty_ns"] = empty_ns / n;
    state.counters["probe_ns"] = probe_ns / n;
    state.counters["added_ns"] = added;
    state.counters["goal_met"] = added < kGoalNs ? 1 : 0;
    const std::size_t expected = matching ? static_cast<std::size_t>(n) * repeat : 0;
    if ((*table)->events().size() != expected)
        state.SkipWithError(matching ? "the probe did not record every run: it did not take its "
                                       "full path"
                                     : "the probe recorded a packet without the run's magic");
}

BENCHMARK_CAPTURE(BM_ProbeCost, xdp_per_packet, "xdpgeneric", 1, true);
BENCHMARK_CAPTURE(BM_ProbeCost, tc_per_packet, "tc-ingress", 1, true);
BENCHMARK_CAPTURE(BM_ProbeCost, socket_per_packet, "socket-filter", 1, true);
BENCHMARK_CAPTURE(BM_ProbeCost, xdp_batch, "xdpgeneric", 256, true);
BENCHMARK_CAPTURE(BM_ProbeCost, tc_batch, "tc-ingress", 256, true);
BENCHMARK_CAPTURE(BM_ProbeCost, socket_batch, "socket-filter", 256, true);
BENCHMARK_CAPTURE(BM_ProbeCost, xdp_foreign_packet, "xdpgeneric", 256, false);
BENCHMARK_CAPTURE(BM_ProbeCost, tc_foreign_packet, "tc-ingress", 256, false);

} // namespace
