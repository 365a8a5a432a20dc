#pragma once
// The classic, hand-made way to run one veth cell: the walk-through's `ip`, `tc`, `iptables` and
// `bpftool` commands, spawned one by one. hookmatrix's cost per cell is measured against it
// (bench/cell_cost_bench.cpp), so the recipe does what a cell does and no more: two namespaces
// and a veth pair, the program attached at the hook, the same echo traffic, detach, teardown.
//
// Every command is an argv (core/spawn.h), never a shell string; the only values put into it are
// names and paths made here. It runs only inside hookmatrix's private mount namespace, over a
// private tmpfs on /run: `ip netns add` mounts its namespaces under /run/netns and the pins live
// in a bpffs of its own there, so nothing appears on the host, and if the benchmark is killed the
// mount namespace, and with it every namespace the recipe named, goes with it.
#include "core/error.h"
#include "matrix/hooks.h"

#include <cstdint>
#include <string>

namespace hm::bench {

// The hook of each family the recipe can express with these tools, or nullptr (tcx, netfilter
// and cgroup links need a newer bpftool; a cgroup would also need a directory on the host).
const char* recipe_hook(HookFamily family);

struct RecipeRun {
    std::uint32_t replies = 0; // of the echo requests sent while the program was attached
    std::size_t commands = 0;  // spawned
};

// Runs the recipe for `hook` with `packets` echo requests from far to the device (always sent
// from hookmatrix's own sender, so both sides of the comparison pay the same for traffic).
// `objects_dir` holds recipe_{xdp,tc,socket}.bpf.o. Teardown runs on every path.
Result<RecipeRun> run_recipe_cell(const HookSpec& hook, std::uint32_t packets,
                                  const std::string& objects_dir);

} // namespace hm::bench
