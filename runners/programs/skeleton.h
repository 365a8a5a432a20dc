#pragma once
// bpftool's generated skeletons share their member names (progs, maps, rodata) but neither a type
// nor function names. Skeleton<S> owns one (destroying it unloads its programs and maps), and
// load_skeleton() is the one way the probe and the throughput counter are opened, configured
// before load, typed for their hook, loaded and given an owner. Each loader names the skeletons it
// includes with HM_SKELETON(name).
#include "core/error.h"
#include "core/kernel_release.h"
#include "matrix/hooks.h"
#include "runners/programs/libbpf_log.h"
#include "runners/programs/program.h"

#include <bpf/libbpf.h>

#include <memory>
#include <string>

namespace hm {

template <class Skel> struct SkelOps;

#define HM_SKELETON(name)                                                                          \
    template <> struct SkelOps<name> {                                                             \
        static name* open() { return name##__open(); }                                             \
        static int load(name* s) { return name##__load(s); }                                       \
        static void destroy(name* s) { name##__destroy(s); }                                       \
    }

template <class Skel> struct SkeletonDeleter {
    void operator()(Skel* s) const noexcept { SkelOps<Skel>::destroy(s); }
};
template <class Skel> using Skeleton = std::unique_ptr<Skel, SkeletonDeleter<Skel>>;

// Opens `Skel`, lets `configure(skel)` set its .rodata and maps (an Error stops the load), gives
// the program `program(skel)` the type the hook needs, loads, and hands the skeleton to a new
// `P`, the Program that owns it. `name` is hookmatrix's name of the program ("probe", "bench
// counter"): errors say "the probe", the program describes itself as "hookmatrix probe
// (sched_cls)". A verifier rejection's log is the Error's detail.
template <class P, class Skel, class Pick, class Configure>
Result<std::unique_ptr<P>> load_skeleton(const HookSpec& hook, const std::string& name,
                                         Pick program, Configure configure) {
    LibbpfLogCapture log;
    Skeleton<Skel> skel(SkelOps<Skel>::open());
    if (!skel)
        return fail("open the " + name + " object", errno, log.take());
    if (Status s = configure(*skel); !s) {
        Error e = s.error();
        e.detail += log.take();
        return std::unexpected(std::move(e));
    }
    bpf_program* prog = program(*skel);
    prepare_for_hook(prog, hook);
    if (int e = SkelOps<Skel>::load(skel.get()); e < 0)
        return fail("load the " + name + " as " + type_name(hook.prog_type) + " for " +
                        std::string(hook.name),
                    -e, log.take());
    remember_loaded(skel->obj);
    return std::make_unique<P>(std::move(skel), prog,
                               "hookmatrix " + name + " (" + type_name(hook.prog_type) + ")");
}

// A program that lives in a skeleton: the skeleton is its owner.
template <class Skel, class Base = Program> class SkeletonProgram : public Base {
public:
    SkeletonProgram(Skeleton<Skel> skel, bpf_program* program, std::string text)
        : skel_(std::move(skel)), program_(program), text_(std::move(text)) {}
    int fd() const override { return bpf_program__fd(program_); }
    std::string describe() const override { return text_; }

protected:
    const Skel& skel() const { return *skel_; }

private:
    Skeleton<Skel> skel_;
    bpf_program* program_;
    std::string text_;
};

} // namespace hm
