#pragma once
// The hook catalogue: one row per hook point hookmatrix can attach at. Adding a hook is adding a
// row here and, at most, one attacher in runners/.
#include <linux/bpf.h>

#include <cstdint>
#include <span>
#include <string_view>

namespace hm {

enum class HookFamily { Xdp, Tc, XtBpf, Tcx, Netfilter, TunSteering, SocketFilter,
                        CgroupSkb };
enum class Direction { Ingress, Egress };     // as seen from the device under test
enum class ProbeKind { Xdp, Skb, Netfilter }; // which build of bpf/probe.bpf.c the hook runs

struct HookSpec {
    std::string_view name; // CLI and results.json name, e.g. "tc-ingress"
    HookFamily family;
    std::uint32_t prog_type; // a bpf_prog_type (a number: see compat::kProgTypeNetfilter)
    ProbeKind probe;
    // The direction a packet crosses the device under test to fire the hook: ingress hooks are
    // fired by echo requests sent from the far namespace, egress hooks by requests sent from near.
    Direction direction;
    std::uint32_t pass_action; // the program's "let it through" return value at this hook
    std::uint32_t xdp_flags;   // XDP_FLAGS_* mode for the Xdp family, 0 otherwise
    std::string_view summary;  // for `list`, --help and docs
};

std::span<const HookSpec> all_hooks();
const HookSpec* find_hook(std::string_view name);

std::string_view to_string(HookFamily f);
std::string_view to_string(Direction d);

} // namespace hm
