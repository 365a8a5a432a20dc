// tc clsact with cls_bpf in direct-action mode, through libbpf's bpf_tc_* (netlink). The filter
// lives on a device in a namespace hookmatrix made, so the kernel removes it with the namespace
// if hookmatrix dies; on the normal path the attachment removes it itself.
#include "runners/attach/attacher.h"

#include <bpf/libbpf.h>

#include <cstdio>

namespace hm {

namespace {
class TcFilter final : public Attachment {
public:
    TcFilter(Netns ns, bpf_tc_hook hook, bpf_tc_opts opts, bool owns_qdisc, std::string text)
        : ns_(std::move(ns)), hook_(hook), opts_(opts), owns_qdisc_(owns_qdisc),
          text_(std::move(text)) {}
    ~TcFilter() override {
        auto scope = NetnsScope::enter(ns_);
        if (!scope)
            return; // the namespace is unreachable; it takes the filter with it when it dies
        opts_.prog_fd = opts_.prog_id = opts_.flags = 0;
        bpf_tc_detach(&hook_, &opts_);
        // Whoever created the clsact qdisc removes it; attachments sharing it detach first,
        // since owners are destroyed in reverse order of creation.
        if (owns_qdisc_) {
            hook_.attach_point = static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS);
            bpf_tc_hook_destroy(&hook_);
        }
    }
    std::string describe() const override { return text_; }

private:
    Netns ns_;
    bpf_tc_hook hook_;
    bpf_tc_opts opts_;
    bool owns_qdisc_;
    std::string text_;
};

class TcAttacher final : public Attacher {
public:
    Result<std::unique_ptr<Attachment>> attach(const AttachTarget& target, const HookSpec& hook,
                                               const Program& program) override {
        auto ns = target.ns.dup();
        if (!ns)
            return std::unexpected(ns.error());
        auto scope = NetnsScope::enter(target.ns);
        if (!scope)
            return std::unexpected(scope.error());
        const bool ingress = hook.direction == Direction::Ingress;
        std::string where = std::string("tc clsact ") + (ingress ? "ingress" : "egress") + " on " +
                            target.ifname + " in ns " + target.ns.name();
        LIBBPF_OPTS(bpf_tc_hook, tc_hook, .ifindex = target.ifindex,
                    .attach_point = ingress ? BPF_TC_INGRESS : BPF_TC_EGRESS);
        int e = bpf_tc_hook_create(&tc_hook);
        if (e == -EOPNOTSUPP)
            return unsupported("create clsact qdisc for " + where, -e,
                               "kernel lacks sch_clsact (CONFIG_NET_SCH_INGRESS)");
        if (e < 0 && e != -EEXIST)
            return fail("create clsact qdisc for " + where, -e);
        const bool owns_qdisc = e == 0;
        LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = program.fd(), .handle = 1, .priority = 1);
        if (e = bpf_tc_attach(&tc_hook, &opts); e < 0) {
            if (owns_qdisc) {
                tc_hook.attach_point =
                    static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS);
                bpf_tc_hook_destroy(&tc_hook);
            }
            if (e == -EOPNOTSUPP)
                return unsupported("attach cls_bpf filter to " + where, -e,
                                   "kernel lacks cls_bpf (CONFIG_NET_CLS_BPF)");
            return fail("attach cls_bpf filter to " + where, -e);
        }
        std::string text = where + ", direct-action, handle 1 prio 1, prog id " +
                           std::to_string(opts.prog_id);
        return std::make_unique<TcFilter>(std::move(*ns), tc_hook, opts, owns_qdisc, text);
    }
};
} // namespace

Attacher& tc_attacher() { return single<TcAttacher>(); }

} // namespace hm
