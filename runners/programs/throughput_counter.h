#pragma once
// The bench counter (bpf/throughput_counter.bpf.c) loaded for one hook: a Program that attachers
// take like the probe, plus the count it has kept so far.
#include "core/error.h"
#include "matrix/hooks.h"
#include "runners/programs/program.h"

#include <cstdint>
#include <memory>

namespace hm {

enum class CounterAction {
    Drop,
    Pass,
    // tc only: TC_ACT_STOLEN, the frame taken without a drop, so a sender at an egress hook sees
    // its send succeed. bench's skb source measures its ceiling so, its frames going nowhere.
    Consume,
};

class ThroughputCounter : public Program {
public:
    // Packets counted since load, summed over the CPUs' slots.
    virtual Result<std::uint64_t> counted() const = 0;
};

// The hooks bench can drive: packets from the generator must reach them, so ingress hooks whose
// program can both drop and pass (XDP, tc and tcx). False with the reason for the others.
bool throughput_supports(const HookSpec& hook, std::string& why);

// The counter built for the hook's context, returning the hook's drop or pass action.
Result<std::unique_ptr<ThroughputCounter>> load_throughput_counter(const HookSpec& hook,
                                                                   CounterAction action);

} // namespace hm
