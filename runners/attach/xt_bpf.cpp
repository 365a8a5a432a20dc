// iptables' xt_bpf match can only name a program by a bpffs path, so the program is pinned in
// hookmatrix's private bpffs just long enough for iptables to open it: the rule then holds its own
// reference and the pin is removed at once. The rule lives in a namespace hookmatrix made for the
// cell, and goes (with its reference to the program) when that namespace dies: the attachment
// holds the namespace until it is destroyed and never deletes the rule itself. Deleting it first
// took two more iptables processes (list the chain for the rule's number, delete it), two thirds
// of an xt_bpf cell's time, to remove what the kernel removes a moment later anyway. So an
// xt_bpf attachment must not outlive its cell's topology into another cell (no topology is
// shared between cells). iptables is the nf_tables flavour, as on Debian's hosts;
// where that cannot add an xt_bpf rule (Debian 12's iptables-nft against a 5.10 kernel fails with
// RULE_APPEND ENOENT) the legacy flavour, when installed, is tried next.
#include "core/mount_ns.h"
#include "core/spawn.h"
#include "runners/attach/attacher.h"
#include "runners/attach/iptables_program.h"

#include <bpf/bpf.h>
#include <unistd.h>

#include <atomic>

namespace hm {

namespace {
class XtBpfRule final : public Attachment {
public:
    XtBpfRule(Netns ns, std::string text) : ns_(std::move(ns)), text_(std::move(text)) {}
    std::string describe() const override { return text_; }

private:
    Netns ns_; // the rule's owner, in effect: the rule dies with the last reference to it
    std::string text_;
};

class XtBpfAttacher final : public Attacher {
public:
    Result<std::unique_ptr<Attachment>> attach(const AttachTarget& target, const HookSpec& hook,
                                               const Program& program) override {
        if (private_bpffs().empty())
            return fail("attach " + std::string(hook.name), EINVAL,
                        "no private bpffs: enter_private_mounts() was not called");
        auto ns = target.ns.dup();
        if (!ns)
            return std::unexpected(ns.error());
        static std::atomic<unsigned> counter{0};
        const std::string tag = "hookmatrix-" + std::to_string(::getpid()) + "-" +
                                std::to_string(counter.fetch_add(1));
        const std::string pin = private_bpffs() + "/" + tag;
        auto programs = iptables_programs();
        if (!programs)
            return std::unexpected(programs.error());
        if (bpf_obj_pin(program.fd(), pin.c_str()) != 0)
            return fail("pin the program at " + pin, errno);
        const bool input = hook.direction == Direction::Ingress;
        const std::string chain = input ? "INPUT" : "OUTPUT";
        std::string used;
        Result<SpawnResult> added = std::unexpected(Error{"no iptables program"});
        for (const std::string& iptables : *programs) {
            used = iptables;
            std::vector<std::string> argv{iptables, "-w", "-A", chain,
                                          input ? "-i" : "-o", target.ifname,
                                          "-m", "bpf", "--object-pinned", pin,
                                          "-m", "comment", "--comment", tag};
            added = [&]() -> Result<SpawnResult> {
                auto scope = NetnsScope::enter(target.ns);
                if (!scope)
                    return std::unexpected(scope.error());
                return spawn_checked(argv);
            }();
            if (added || added.error().detail.find("RULE_APPEND failed") == std::string::npos)
                break;
        }
        ::unlink(pin.c_str());
        if (!added) {
            Error e = added.error();
            e.what = "add iptables " + chain + " rule with xt_bpf on " + target.ifname +
                     " in ns " + target.ns.name() + " (" + e.what + ")";
            // What iptables-nft and iptables-legacy say when the kernel has no xt_bpf match.
            if (e.detail.find("missing kernel module") != std::string::npos ||
                e.detail.find("No chain/target/match by that name") != std::string::npos)
            {
                e.err = EOPNOTSUPP;
                e.kind = ErrorKind::Unsupported;
            }
            return std::unexpected(e);
        }
        std::string text = used + " " + chain + (input ? " -i " : " -o ") + target.ifname +
                           " -m bpf, prog id " + std::to_string(program.id());
        return std::make_unique<XtBpfRule>(std::move(*ns), text);
    }
};
} // namespace

Attacher& xt_bpf_attacher() { return single<XtBpfAttacher>(); }

} // namespace hm
