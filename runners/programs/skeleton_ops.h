#pragma once
// bpftool's generated skeletons share their member names (progs, maps, rodata) but neither a type
// nor function names: SkelOps<S> gives a loader template one way to open, load and destroy any
// of them. Each loader declares the skeletons it includes with HM_SKELETON_OPS(name).
namespace hm {

template <class Skel> struct SkelOps;

#define HM_SKELETON_OPS(name)                                                                      \
    template <> struct SkelOps<name> {                                                             \
        static name* open() { return name##__open(); }                                            \
        static int load(name* s) { return name##__load(s); }                                      \
        static void destroy(name* s) { name##__destroy(s); }                                      \
    }

} // namespace hm
