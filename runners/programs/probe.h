#pragma once
// The probe (bpf/probe.bpf.c), built once per context type, loaded for one hook of a cell or a
// choir: it writes every firing on one of the run's echo requests into the cell's event table.
#include "core/error.h"
#include "matrix/hooks.h"
#include "runners/programs/program.h"

#include <cstdint>
#include <memory>

namespace hm {

struct ProbeConfig {
    std::uint16_t hook_id = 0; // below HM_SLOT_HOOKS: it picks the probe's slots
    std::uint32_t magic = 0;   // the run's echo payload magic (runners/traffic/icmp_echo.h)
    int events_fd = -1;        // the EventTable map every probe of the cell writes to
};

// Loads the probe build that fits `hook`, with its program type, pass action and config set
// before load. A verifier rejection is an Error whose detail is the verifier log.
Result<std::unique_ptr<Program>> load_probe(const HookSpec& hook, const ProbeConfig& config);

} // namespace hm
