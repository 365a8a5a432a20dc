#pragma once
// The bench counter (bpf/bench_counter.bpf.c) loaded for one hook: a Program that attachers take
// like the probe, plus the count it has kept so far.
#include "core/error.h"
#include "matrix/hooks.h"
#include "runners/program.h"

#include <cstdint>
#include <memory>

namespace hm {

enum class BenchAction { Drop, Pass };

class BenchProgram : public Program {
public:
    // Packets counted since load, summed over the CPUs' slots.
    virtual Result<std::uint64_t> counted() const = 0;
};

// The hooks bench can drive: packets from the generator must reach them, so ingress hooks whose
// program can both drop and pass (XDP, tc and tcx). False with the reason for the others.
bool bench_supports(const HookSpec& hook, std::string& why);

// The counter built for the hook's context, returning the hook's drop or pass action.
Result<std::unique_ptr<BenchProgram>> load_bench_program(const HookSpec& hook, BenchAction action);

} // namespace hm
