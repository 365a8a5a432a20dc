#include "classic_recipe.h"

#include "core/mount_ns.h"
#include "core/netns.h"
#include "core/spawn.h"
#include "runners/traffic/icmp_echo.h"
#include "runners/traffic/echo_run.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <random>
#include <set>
#include <string_view>
#include <vector>

namespace hm::bench {

namespace {

using Argv = std::vector<std::string_view>;

// {near}, {far}, {obj} and {pin} stand for a whole argument each.
struct FamilyRecipe {
    const char* hook;
    const char* object; // in objects_dir
    std::vector<Argv> attach;
    std::vector<Argv> detach;
};

const std::vector<Argv> kSetUp = {
    {"ip", "netns", "add", "{near}"},
    {"ip", "netns", "add", "{far}"},
    {"ip", "-n", "{near}", "link", "add", "dut", "type", "veth", "peer", "name", "wire", "netns",
     "{far}"},
    {"ip", "-n", "{near}", "addr", "add", "169.254.100.1/30", "dev", "dut"},
    {"ip", "-n", "{far}", "addr", "add", "169.254.100.2/30", "dev", "wire"},
    {"ip", "-n", "{near}", "link", "set", "lo", "up"},
    {"ip", "-n", "{near}", "link", "set", "dut", "up"},
    {"ip", "-n", "{far}", "link", "set", "lo", "up"},
    {"ip", "-n", "{far}", "link", "set", "wire", "up"},
};

// The walk-through checks what it attached before sending anything.
const Argv kShowNet = {"ip", "netns", "exec", "{near}", "bpftool", "net", "show", "dev", "dut"};

const std::map<HookFamily, FamilyRecipe>& recipes() {
    static const std::map<HookFamily, FamilyRecipe> all = {
        {HookFamily::Xdp,
         {"xdpgeneric", "recipe_xdp.bpf.o",
          {{"ip", "-n", "{near}", "link", "set", "dev", "dut", "xdpgeneric", "obj", "{obj}", "sec",
            "xdp"},
           kShowNet},
          {{"ip", "-n", "{near}", "link", "set", "dev", "dut", "xdpgeneric", "off"}}}},
        {HookFamily::Tc,
         {"tc-ingress", "recipe_tc.bpf.o",
          {{"tc", "-n", "{near}", "qdisc", "add", "dev", "dut", "clsact"},
           {"tc", "-n", "{near}", "filter", "add", "dev", "dut", "ingress", "bpf", "direct-action",
            "obj", "{obj}", "sec", "tc"},
           kShowNet},
          {{"tc", "-n", "{near}", "qdisc", "del", "dev", "dut", "clsact"}}}},
        {HookFamily::XtBpf,
         {"xt-bpf-input", "recipe_socket.bpf.o",
          {{"bpftool", "prog", "load", "{obj}", "{pin}", "type", "socket"},
           {"ip", "netns", "exec", "{near}", "iptables", "-w", "-A", "INPUT", "-i", "dut", "-m",
            "bpf", "--object-pinned", "{pin}"},
           {"ip", "netns", "exec", "{near}", "iptables", "-w", "-S", "INPUT"}},
          // The namespace's INPUT chain holds only this rule.
          {{"ip", "netns", "exec", "{near}", "iptables", "-w", "-D", "INPUT", "1"},
           {"rm", "-f", "{pin}"}}}},
    };
    return all;
}

constexpr const char* kRun = "/run";
constexpr const char* kPinDir = "/run/hmbench-bpf";

// Once per process: a private tmpfs over /run (the host has no /run/netns to hide a mount in,
// and creating one would change the host), /run/netns in it, and a bpffs for the pins.
Status prepare_mounts() {
    static Status done = []() -> Status {
        if (private_bpffs().empty())
            return fail("run the classic recipe", EPERM,
                        "not in hookmatrix's private mount namespace (enter_private_mounts)");
        if (::mount("tmpfs", kRun, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0)
            return fail("mount a private tmpfs on /run", errno);
        if (::mkdir("/run/netns", 0755) != 0 || ::mkdir(kPinDir, 0700) != 0)
            return fail("make /run/netns and " + std::string(kPinDir) + " in the private tmpfs",
                        errno);
        if (::mount("bpf", kPinDir, "bpf", 0, "mode=0700") != 0)
            return fail(std::string("mount a private bpffs on ") + kPinDir, errno);
        return {};
    }();
    return done;
}

class Recipe {
public:
    Recipe(const FamilyRecipe& family, const std::string& objects_dir) : family_(family) {
        static std::atomic<unsigned> counter{0};
        const std::string base =
            "hmbench-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        values_ = {{"{near}", base + "-near"},
                   {"{far}", base + "-far"},
                   {"{obj}", objects_dir + "/" + family.object},
                   {"{pin}", std::string(kPinDir) + "/" + base}};
    }
    Recipe(const Recipe&) = delete;
    Recipe& operator=(const Recipe&) = delete;
    // Teardown on every path; a failed step only leaves what the namespaces take with them.
    ~Recipe() {
        if (attached_)
            for (const Argv& step : family_.detach)
                (void)run(step);
        for (const char* side : {"{near}", "{far}"})
            if (made_.contains(side))
                (void)run({"ip", "netns", "del", side});
    }

    Status set_up() {
        for (const Argv& step : kSetUp) {
            if (step.size() == 4 && step[1] == "netns" && step[2] == "add")
                made_.insert(std::string(step[3]));
            if (auto s = run_checked(step); !s)
                return s;
        }
        return {};
    }
    Status attach() {
        attached_ = true; // a half-done attach is still undone
        for (const Argv& step : family_.attach)
            if (auto s = run_checked(step); !s)
                return s;
        return {};
    }
    Status detach() {
        attached_ = false;
        for (const Argv& step : family_.detach)
            if (auto s = run_checked(step); !s)
                return s;
        return {};
    }
    const std::string& far_path_name() const { return values_.at("{far}"); }
    std::size_t commands() const { return commands_; }

private:
    Result<SpawnResult> run(const Argv& step) {
        std::vector<std::string> argv;
        for (std::string_view a : step) {
            auto it = values_.find(std::string(a));
            argv.push_back(it == values_.end() ? std::string(a) : it->second);
        }
        ++commands_;
        return spawn(argv, std::chrono::seconds(10));
    }
    Status run_checked(const Argv& step) {
        auto r = run(step);
        if (!r)
            return std::unexpected(r.error());
        if (r->exit_code != 0) {
            std::string cmd;
            for (std::string_view a : step) {
                if (!cmd.empty())
                    cmd += ' ';
                cmd += a;
            }
            return fail("classic recipe step '" + cmd + "' exited with " +
                            std::to_string(r->exit_code),
                        0, r->err);
        }
        return {};
    }

    const FamilyRecipe& family_;
    std::map<std::string, std::string> values_;
    std::set<std::string> made_;
    bool attached_ = false;
    std::size_t commands_ = 0;
};

// The namespace `ip netns add` made, as a descriptor hookmatrix's sender can enter.
Result<Netns> named_netns(const std::string& name) {
    UniqueFd fd(::open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        return fail("open /run/netns/" + name, errno);
    auto home = Netns::current();
    if (!home)
        return std::unexpected(home.error());
    if (::setns(fd.get(), CLONE_NEWNET) != 0)
        return fail("enter namespace " + name, errno);
    auto ns = Netns::current();
    if (::setns(home->fd(), CLONE_NEWNET) != 0)
        return fail("return from namespace " + name, errno);
    return ns;
}

} // namespace

const char* recipe_hook(HookFamily family) {
    auto it = recipes().find(family);
    return it == recipes().end() ? nullptr : it->second.hook;
}

Result<RecipeRun> run_recipe_cell(const HookSpec& hook, std::uint32_t packets,
                                  const std::string& objects_dir) {
    auto it = recipes().find(hook.family);
    if (it == recipes().end())
        return fail("no classic recipe for " + std::string(hook.name), EOPNOTSUPP);
    if (auto s = prepare_mounts(); !s)
        return std::unexpected(s.error());
    Recipe recipe(it->second, objects_dir);
    if (auto s = recipe.set_up(); !s)
        return std::unexpected(s.error());
    auto far = named_netns(recipe.far_path_name());
    if (!far)
        return std::unexpected(far.error());
    auto sender = EchoSocket::open(*far);
    if (!sender)
        return std::unexpected(sender.error());
    in_addr to{};
    ::inet_pton(AF_INET, "169.254.100.1", &to);
    const auto ident = static_cast<std::uint16_t>(::getpid());
    const std::uint32_t magic = std::random_device{}();
    if (!warm_up(**sender, to, ident, magic))
        return fail("classic recipe: no reply to warm-up echo requests over the veth pair", 0);
    if (auto s = recipe.attach(); !s)
        return std::unexpected(s.error());
    RecipeRun run;
    for (std::uint32_t seq = 0; seq < packets; ++seq) {
        if (!(*sender)->send_request(to, ident, magic, seq))
            break;
        run.replies += (*sender)->wait_reply(ident, magic, seq, std::chrono::seconds(1)) ? 1 : 0;
    }
    if (auto s = recipe.detach(); !s)
        return std::unexpected(s.error());
    run.commands = recipe.commands() + 2; // the two `ip netns del` still to come
    return run;
}

} // namespace hm::bench
