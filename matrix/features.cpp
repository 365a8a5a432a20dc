#include "matrix/features.h"

#include "core/cgroup.h"
#include "core/netns.h"
#include "core/unique_fd.h"
#include "core/uapi_compat.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/netfilter.h>

#include <cstring>
#include <fstream>
#include <unistd.h>
#include <map>
#include <optional>

namespace hm {

namespace {
class RunningKernel final : public KernelFeatures {
public:
    Support hook(const HookSpec& hook) override {
        auto it = cache_.find(hook.name);
        if (it == cache_.end())
            it = cache_.emplace(hook.name, probe(hook)).first;
        return it->second;
    }

    Support device(const DeviceSpec& device) override {
        auto it = device_cache_.find(device.name);
        if (it == device_cache_.end())
            it = device_cache_.emplace(device.name, probe(device)).first;
        return it->second;
    }

    // A minimal XDP_DROP program run once on a live frame. A kernel without the flag rejects it
    // with EINVAL (bpf_prog_test_run_xdp checks the flags it knows). Run in a namespace of its
    // own: a live run's frames belong to the namespace's lo, and the host's stays untouched.
    Support xdp_live_frames() override {
        if (live_frames_)
            return *live_frames_;
        live_frames_ = probe_live_frames();
        return *live_frames_;
    }

private:
    static Support probe_live_frames() {
        const bpf_insn insns[] = {
            {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_DROP},
            {.code = BPF_JMP | BPF_EXIT},
        };
        UniqueFd prog(bpf_prog_load(BPF_PROG_TYPE_XDP, "hm_live_probe", "GPL", insns,
                                    std::size(insns), nullptr));
        if (!prog.valid())
            return {false, "cannot load an XDP program to probe live frames (" +
                               std::string(std::strerror(errno)) + ")"};
        auto ns = Netns::create("live-frames-probe");
        if (!ns)
            return {false, "cannot probe live frames: " + ns.error().message()};
        auto scope = NetnsScope::enter(*ns);
        if (!scope)
            return {false, "cannot probe live frames: " + scope.error().message()};
        std::uint8_t frame[64] = {};
        frame[12] = 0x08; // an IPv4 ethertype, though the program reads nothing
        LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = sizeof frame,
                    .repeat = 1, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
        if (bpf_prog_test_run_opts(prog.get(), &opts) == 0)
            return {true, "BPF_PROG_RUN runs XDP programs on live frames "
                          "(BPF_F_TEST_XDP_LIVE_FRAMES)"};
        const int err = errno;
        if (err == EINVAL || err == EOPNOTSUPP)
            return {false, "kernel cannot run XDP programs on live frames "
                           "(BPF_F_TEST_XDP_LIVE_FRAMES, Linux 5.18+): " +
                               std::string(std::strerror(err))};
        return {false, "cannot probe live frames: BPF_PROG_RUN answered " +
                           std::string(std::strerror(err))};
    }

    static Support probe(const DeviceSpec& device) {
        if (device.kind == DeviceKind::Netdevsim) {
            // The bus file exists once netdevsim is built in or loaded; nothing else makes one.
            if (::access("/sys/bus/netdevsim/new_device", W_OK) == 0)
                return {true, "/sys/bus/netdevsim/new_device present"};
            return {false, "kernel has no netdevsim (CONFIG_NETDEVSIM; /sys/bus/netdevsim/"
                           "new_device is missing, load the netdevsim module if it is one)"};
        }
        return {true, "no probe needed: hookmatrix builds this device from core kernel parts"};
    }

    Support prog_type(std::uint32_t number) {
        const auto type = static_cast<bpf_prog_type>(number);
        const char* name = libbpf_bpf_prog_type_str(type);
        std::string n = name ? name : "?";
        int r = libbpf_probe_bpf_prog_type(type, nullptr);
        if (r == 1)
            return {true, "BPF program type " + n + " loads"};
        if (r == 0)
            return {false, "kernel cannot load BPF programs of type " + n};
        return {false, "cannot probe BPF program type " + n + " (error " + std::to_string(r) +
                           "; is this root on a kernel with CONFIG_BPF_SYSCALL?)"};
    }

    // libbpf 1.1.2's libbpf_probe_bpf_prog_type() knows no netfilter programs, and the kernel
    // loads one only with expected_attach_type BPF_NETFILTER: load "return NF_ACCEPT" ourselves.
    // A kernel without the type (before 6.4, or built without CONFIG_NETFILTER_BPF_LINK) answers
    // EINVAL. Both netfilter hooks share the one answer.
    Support netfilter_prog_type() {
        if (netfilter_)
            return *netfilter_;
        const bpf_insn insns[] = {
            {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = NF_ACCEPT},
            {.code = BPF_JMP | BPF_EXIT},
        };
        LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = compat::kAttachNetfilter);
        const auto netfilter = static_cast<bpf_prog_type>(compat::kProgTypeNetfilter);
        UniqueFd fd(
            bpf_prog_load(netfilter, "hm_nf_probe", "GPL", insns, std::size(insns), &opts));
        const int err = errno;
        if (fd.valid())
            netfilter_ = Support{true, "BPF program type netfilter loads"};
        else if (err == EINVAL || err == EOPNOTSUPP)
            netfilter_ = Support{false, "kernel cannot load BPF programs of type netfilter "
                                        "(BPF_PROG_TYPE_NETFILTER, Linux 6.4+ with "
                                        "CONFIG_NETFILTER_BPF_LINK)"};
        else
            netfilter_ = Support{false, "cannot probe BPF program type netfilter (" +
                                            std::string(std::strerror(err)) +
                                            "; is this root on a kernel with CONFIG_BPF_SYSCALL?)"};
        return *netfilter_;
    }

    // tcx is an attach type, not a program type: create a tcx link of the hook's own direction
    // for a minimal SCHED_CLS program on ifindex 0, which no device has. A kernel that knows the
    // attach type looks for the device and answers ENODEV; one that does not rejects the attach
    // type first with EINVAL. Nothing is attached either way.
    Support tcx_attach_type(Direction direction) {
        const bool ingress = direction == Direction::Ingress;
        std::optional<Support>& known = ingress ? tcx_ingress_ : tcx_egress_;
        if (known)
            return *known;
        const std::string name = ingress ? "BPF_TCX_INGRESS" : "BPF_TCX_EGRESS";
        const bpf_insn insns[] = {
            {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
            {.code = BPF_JMP | BPF_EXIT},
        };
        UniqueFd prog(bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "hm_tcx_probe", "GPL", insns,
                                    std::size(insns), nullptr));
        if (!prog.valid()) {
            known = Support{false, "cannot load a sched_cls program to probe tcx (" +
                                       std::string(std::strerror(errno)) + ")"};
            return *known;
        }
        compat::LinkCreateAttr attr;
        attr.prog_fd = static_cast<std::uint32_t>(prog.get());
        attr.target = 0;
        attr.attach_type = ingress ? compat::kAttachTcxIngress : compat::kAttachTcxEgress;
        UniqueFd link(compat::link_create(attr));
        const int err = errno;
        if (link.valid() || err == ENODEV)
            known = Support{true, "kernel knows the tcx attach type (" + name + ")"};
        else
            known = Support{false, "kernel has no tcx (" + name + " links, Linux 6.6+ with "
                                   "CONFIG_NET_XGRESS): " + std::string(std::strerror(err))};
        return *known;
    }

    static bool ip_tables_match(const std::string& match) {
        std::ifstream f("/proc/net/ip_tables_matches");
        std::string line;
        while (std::getline(f, line))
            if (line == match)
                return true;
        return false;
    }

    Support probe(const HookSpec& hook) {
        if (hook.family == HookFamily::Netfilter)
            return netfilter_prog_type();
        if (hook.family == HookFamily::Tcx)
            return tcx_attach_type(hook.direction);
        Support s = prog_type(hook.prog_type);
        if (s.supported && hook.family == HookFamily::CgroupSkb) {
            // Each cell makes a cgroup of its own under the cgroup v2 mount.
            auto mount = cgroup2_mount();
            if (!mount)
                return {false, "no cgroup v2 hierarchy is mounted (no cgroup2 in "
                               "/proc/self/mountinfo); cgroup_skb programs attach to a cgroup v2 "
                               "directory"};
            return {true, s.reason + "; cgroup v2 mounted at " + *mount};
        }
        if (!s.supported || hook.family != HookFamily::XtBpf)
            return s;
        // Built-in or already loaded matches are listed. A modular xt_bpf is loaded by iptables
        // on first use, so absence here is not a "no": the attach decides, and an attacher
        // reports a missing match as unsupported.
        if (ip_tables_match("bpf"))
            return {true, "xt_bpf match registered"};
        return {true, "xt_bpf match not registered yet (a module iptables may load)"};
    }

    std::map<std::string_view, Support> cache_;
    std::map<std::string_view, Support> device_cache_;
    std::optional<Support> netfilter_;
    std::optional<Support> tcx_ingress_, tcx_egress_;
    std::optional<Support> live_frames_;
};
} // namespace

std::unique_ptr<KernelFeatures> running_kernel_features() {
    return std::make_unique<RunningKernel>();
}

} // namespace hm
