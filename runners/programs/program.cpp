#include "runners/programs/program.h"

#include "core/uapi_compat.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cstdint>

namespace hm {

namespace {
bool prog_info(int fd, bpf_prog_info& info) {
    info = {};
    std::uint32_t len = sizeof info;
    return bpf_obj_get_info_by_fd(fd, &info, &len) == 0;
}
} // namespace

std::uint32_t Program::id() const {
    bpf_prog_info info;
    return prog_info(fd(), info) ? info.id : 0;
}

std::uint64_t Program::run_count() const {
    bpf_prog_info info;
    return prog_info(fd(), info) ? info.run_cnt : 0;
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> Program::jited_code() const {
    bpf_prog_info info;
    if (!prog_info(fd(), info) || info.nr_jited_ksyms == 0 ||
        info.nr_jited_ksyms != info.nr_jited_func_lens)
        return {};
    const std::uint32_t n = info.nr_jited_ksyms;
    std::vector<std::uint64_t> starts(n);
    std::vector<std::uint32_t> lens(n);
    info = {};
    info.nr_jited_ksyms = n;
    info.jited_ksyms = reinterpret_cast<std::uintptr_t>(starts.data());
    info.nr_jited_func_lens = n;
    info.jited_func_lens = reinterpret_cast<std::uintptr_t>(lens.data());
    std::uint32_t len = sizeof info;
    if (bpf_obj_get_info_by_fd(fd(), &info, &len) != 0)
        return {};
    std::vector<std::pair<std::uint64_t, std::uint64_t>> code;
    for (std::uint32_t i = 0; i < n; ++i)
        if (starts[i] != 0)
            code.emplace_back(starts[i], starts[i] + lens[i]);
    return code;
}

std::string type_name(std::uint32_t prog_type) {
    if (prog_type == compat::kProgTypeNetfilter)
        return "netfilter";
    // libbpf checks the range itself (NULL past the end of its table).
    if (const char* t = libbpf_bpf_prog_type_str(static_cast<bpf_prog_type>(prog_type)))
        return t;
    return "type " + std::to_string(prog_type);
}

void prepare_for_hook(bpf_program* prog, const HookSpec& hook) {
    bpf_program__set_type(prog, static_cast<bpf_prog_type>(hook.prog_type));
    // The section name cannot say "netfilter" to libbpf 1.1.2, and the kernel loads a netfilter
    // program only with expected_attach_type BPF_NETFILTER (bpf_prog_load_check_attach).
    if (hook.prog_type == compat::kProgTypeNetfilter)
        bpf_program__set_expected_attach_type(prog, compat::kAttachNetfilter);
    // A cgroup_skb program says at load where it will run: the verifier allows an egress program
    // more return values (congestion notification), and attach refuses a mismatch once the
    // kernel enforces it (cg_skb_is_valid_access).
    if (hook.prog_type == BPF_PROG_TYPE_CGROUP_SKB)
        bpf_program__set_expected_attach_type(prog, hook.direction == Direction::Ingress
                                                        ? BPF_CGROUP_INET_INGRESS
                                                        : BPF_CGROUP_INET_EGRESS);
}

} // namespace hm
