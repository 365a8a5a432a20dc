#pragma once
// A BPF program loaded into the kernel and ready to attach: the probe (runners/programs/probe.h),
// a user's own object (user_program.h) or the throughput counter (throughput_counter.h).
// Attachers only need the descriptor.
#include "core/error.h"
#include "matrix/hooks.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct bpf_program;

namespace hm {

class Program {
public:
    virtual ~Program() = default;
    virtual int fd() const = 0;
    virtual std::string describe() const = 0; // "probe (sched_cls)"
    std::uint32_t id() const;                 // the kernel's program id, 0 if unknown
    // How often the program ran, while BPF run statistics are on (core/bpf_stats.h); else 0.
    std::uint64_t run_count() const;
    // Where the kernel put the program's JIT code: [start, end) of each of its functions. Empty
    // when it runs interpreted, or when the kernel hides addresses (kernel.kptr_restrict=2).
    std::vector<std::pair<std::uint64_t, std::uint64_t>> jited_code() const;
};

// libbpf's name of a program type, also for the types libbpf 1.1.2 does not know.
std::string type_name(std::uint32_t prog_type);

// Sets what the kernel must know before loading a program for `hook`: its type and, where the
// type requires one, its expected attach type. Same for the probe and users' own programs.
void prepare_for_hook(bpf_program* prog, const HookSpec& hook);

} // namespace hm
