#pragma once
// The ids of the BPF programs and maps this process loaded, and a wait for the kernel to let go of
// them. Closing our descriptors does not free a program that is still attached: an XDP program,
// a tc filter, an xt_bpf rule or a cgroup's program goes when its namespace or cgroup is torn
// down, in a kernel worker that may still be busy after hookmatrix has exited. A check run right
// after exit (`bpftool prog`) would then see our probes. So every load is remembered here, and
// the last thing a command does is wait, with a bound, until none of those ids resolves.
#include <bpf/libbpf.h>

#include <chrono>
#include <cstdint>
#include <vector>

namespace hm {

// Every program and map of a loaded object (those with a descriptor).
void remember_loaded(const bpf_object* object);
// One program loaded by other means (bpf_prog_load).
void remember_program(int prog_fd);

struct StillLoaded {
    std::vector<std::uint32_t> programs, maps;
    bool empty() const { return programs.empty() && maps.empty(); }
};

// Polls until every remembered id is gone or `bound` has passed; returns what is left (and forgets
// what is gone).
StillLoaded wait_until_released(std::chrono::milliseconds bound);

} // namespace hm
