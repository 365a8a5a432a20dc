#include "support.h"

#include "core/cgroup.h"
#include "core/mount_ns.h"
#include "core/spawn.h"
#include "core/tracefs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace hm::test {

bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

std::string missing_prerequisite() {
    if (::geteuid() != 0)
        return "root (integration tests create namespaces and load BPF programs)";
    for (const char* tool : {"ip", "iptables", "iptables-save", "bpftool"})
        if (!find_program(tool))
            return std::string("the '") + tool +
                   "' program (apt-get install iproute2 iptables bpftool)";
    if (private_bpffs().empty())
        return "a private mount namespace with bpffs (see tests/integration/main.cpp)";
    return {};
}

namespace {
std::string run_or_note(const std::vector<std::string>& argv) {
    auto r = spawn(argv);
    if (!r)
        return "<" + r.error().message() + ">";
    return r->out + (r->exit_code ? "<exit " + std::to_string(r->exit_code) + ">" : "");
}

std::string without_volatile_lines(const std::string& save) {
    // iptables-save prints a timestamp comment and packet counters that change by themselves.
    static const std::regex counters(R"(\[\d+:\d+\])");
    std::istringstream in(save);
    std::string line, out;
    while (std::getline(in, line))
        if (!line.starts_with("#"))
            out += std::regex_replace(line, counters, "[-]") + "\n";
    return out;
}
} // namespace

std::set<unsigned> loaded_programs() {
    std::set<unsigned> ids;
    std::istringstream progs(run_or_note({"bpftool", "prog", "list"}));
    std::string line;
    static const std::regex id_line(R"(^(\d+): )");
    std::smatch m;
    while (std::getline(progs, line))
        if (std::regex_search(line, m, id_line))
            ids.insert(static_cast<unsigned>(std::stoul(m[1])));
    return ids;
}

bool wait_for_new_program(const std::set<unsigned>& before,
                          std::chrono::steady_clock::time_point deadline) {
    while (loaded_programs() == before) {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

HostState HostState::capture() {
    HostState s;
    s.netns = run_or_note({"ip", "netns", "list"});
    s.links = run_or_note({"ip", "-o", "link", "show"});
    s.iptables = without_volatile_lines(run_or_note({"iptables-save"}));
    s.programs = loaded_programs();
    if (auto dir = tracefs_dir()) {
        std::ifstream in(*dir + "/events/bpf_trace/bpf_trace_printk/enable");
        std::getline(in, s.printk_event);
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(*dir + "/instances", ec))
            s.trace_instances += e.path().filename().string() + "\n";
    }
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/proc/1/root/sys/fs/bpf", ec))
        s.host_bpffs += e.path().filename().string() + "\n";
    if (auto mount = cgroup2_mount())
        for (const auto& e : std::filesystem::directory_iterator(*mount, ec))
            if (e.is_directory(ec))
                s.cgroups.insert(e.path().filename().string());
    for (const auto& e : std::filesystem::directory_iterator("/tmp", ec))
        if (e.path().filename().string().starts_with("hookmatrix-guest-"))
            s.guests.insert(e.path().string());
    for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
        std::ifstream comm(e.path() / "comm");
        std::string name;
        if (comm && std::getline(comm, name) && name.starts_with("qemu-system"))
            s.guests.insert("qemu pid " + e.path().filename().string());
    }
    return s;
}

std::string HostState::diff(const HostState& o) const {
    std::string d;
    if (netns != o.netns)
        d += "ip netns list:\n  before: " + netns + "\n  after: " + o.netns + "\n";
    if (links != o.links)
        d += "ip link:\n  before:\n" + links + "  after:\n" + o.links;
    if (iptables != o.iptables)
        d += "iptables-save:\n  before:\n" + iptables + "  after:\n" + o.iptables;
    if (programs != o.programs) {
        d += "bpftool prog list ids:\n  before:";
        for (auto id : programs)
            d += " " + std::to_string(id);
        d += "\n  after:";
        for (auto id : o.programs)
            d += " " + std::to_string(id);
        d += "\n";
    }
    if (trace_instances != o.trace_instances)
        d += "tracing instances:\n  before: " + trace_instances + "  after: " + o.trace_instances;
    if (printk_event != o.printk_event)
        d += "bpf_trace_printk trace event enabled: before " + printk_event + ", after " +
             o.printk_event + "\n";
    if (host_bpffs != o.host_bpffs)
        d += "/sys/fs/bpf:\n  before: " + host_bpffs + "  after: " + o.host_bpffs + "\n";
    auto sets = [&](const char* what, const std::set<std::string>& a,
                    const std::set<std::string>& b) {
        if (a == b)
            return;
        d += std::string(what) + ":\n  before:";
        for (const auto& x : a)
            d += " " + x;
        d += "\n  after:";
        for (const auto& x : b)
            d += " " + x;
        d += "\n";
    };
    sets("guests (qemu processes, scratch directories)", guests, o.guests);
    sets("cgroups under the cgroup2 mount", cgroups, o.cgroups);
    return d;
}

::testing::AssertionResult host_returns_to(const HostState& before, std::chrono::seconds patience) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    HostState now = HostState::capture();
    while (!(now == before) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        now = HostState::capture();
    }
    if (now == before)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "the host changed and did not return within " << patience.count() << " s:\n"
           << before.diff(now);
}

pid_t start_hookmatrix(const std::vector<std::string>& args, const std::string& stdout_path) {
    // Everything the child needs is built before fork(): it only opens, dups and execs.
    std::vector<std::string> owned{HOOKMATRIX_BINARY};
    owned.insert(owned.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : owned)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        int fd = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

void LeavesHostUnchanged::SetUp() {
    HM_REQUIRE_PREREQUISITES();
    before_ = HostState::capture();
}

void LeavesHostUnchanged::TearDown() {
    if (!IsSkipped()) {
        EXPECT_TRUE(host_returns_to(before_));
    }
}

void LeavesHostUnchangedWithTempDir::SetUp() {
    LeavesHostUnchanged::SetUp();
    char tmpl[] = "/tmp/hookmatrix-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
}

void LeavesHostUnchangedWithTempDir::TearDown() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    LeavesHostUnchanged::TearDown();
}

SpawnResult hookmatrix(const std::vector<std::string>& args) {
    std::vector<std::string> argv{HOOKMATRIX_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = spawn(argv, std::chrono::minutes(3));
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : SpawnResult{};
}

} // namespace hm::test
