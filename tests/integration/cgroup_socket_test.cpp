// The socket-level hooks (socket-filter, cgroup-skb-ingress, cgroup-skb-egress) for real on this
// kernel, and the cgroup each cgroup cell makes: its sockets are charged to it, and its directory
// is gone after the cell, also when hookmatrix is killed with SIGKILL (the janitor removes it).
#include "core/cgroup.h"
#include "matrix/devices.h"
#include "matrix/features.h"
#include "matrix/hooks.h"
#include "runners/attach/attacher.h"
#include "runners/programs/event_table.h"
#include "runners/host_runner.h"
#include "runners/traffic/icmp_echo.h"
#include "runners/programs/probe.h"
#include "runners/programs/program.h"
#include "runners/topology/topology.h"
#include "support.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

namespace hm::test {
namespace {

namespace fs = std::filesystem;

// The cells' cgroups are named <mount>/hookmatrix-<pid>-<n>.
std::vector<std::string> cgroups_of(pid_t pid) {
    std::vector<std::string> out;
    auto mount = cgroup2_mount();
    if (!mount)
        return out;
    const std::string prefix = "hookmatrix-" + std::to_string(pid) + "-";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(*mount, ec))
        if (e.path().filename().string().starts_with(prefix))
            out.push_back(e.path().string());
    return out;
}

class SocketHook : public LeavesHostUnchanged,
                   public ::testing::WithParamInterface<std::tuple<const char*, const char*>> {};

TEST_P(SocketHook, FiresOncePerEchoRequestAndLeavesNoCgroup) {
    const auto [hook_name, device_name] = GetParam();
    const HookSpec* hook = find_hook(hook_name);
    const DeviceSpec* device = find_device(device_name);
    ASSERT_NE(hook, nullptr);
    ASSERT_NE(device, nullptr);
    auto features = running_kernel_features();
    if (Support s = features->hook(*hook); !s.supported) {
        if (in_ci())
            FAIL() << "CI=true and the kernel lacks " << hook_name << ": " << s.reason;
        GTEST_SKIP() << s.reason;
    }
    HostRunner runner(*features, {.packets = 50});
    CellResult r = runner.run_cell({hook, device, "host"});

    EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason << "\n" << r.detail;
    EXPECT_EQ(r.fired, 50u);
    EXPECT_EQ(r.replies, 50u);
    EXPECT_EQ(r.samples_ns.size(), 50u);
    EXPECT_FALSE(r.attachment.empty());
    if (hook->family == HookFamily::CgroupSkb) {
        // The attachment names the cell's cgroup; the cell removed it when it ended.
        auto mount = cgroup2_mount();
        ASSERT_TRUE(mount) << mount.error().message();
        const std::string dir = *mount + "/hookmatrix-" + std::to_string(::getpid()) + "-";
        EXPECT_NE(r.attachment.find("on cgroup " + dir), std::string::npos) << r.attachment;
        EXPECT_EQ(cgroups_of(::getpid()), std::vector<std::string>{});
    }
}

INSTANTIATE_TEST_SUITE_P(OnVethAndLo, SocketHook,
                         ::testing::Combine(::testing::Values("socket-filter", "cgroup-skb-ingress",
                                                              "cgroup-skb-egress"),
                                            ::testing::Values("veth", "lo")),
                         [](const auto& info) {
                             std::string n = std::string(std::get<0>(info.param)) + "_" +
                                             std::get<1>(info.param);
                             std::erase(n, '-');
                             return n;
                         });

using CgroupSocket = LeavesHostUnchanged;

TEST_F(CgroupSocket, SocketInCgroup_ChargesTheSocketToTheCgroup) {
    // An egress program on the cgroup fires for what a socket made in the cgroup sends, and not
    // for an ordinary socket beside it in the same namespace.
    const HookSpec& hook = *find_hook("cgroup-skb-egress");
    auto features = running_kernel_features();
    if (Support s = features->hook(hook); !s.supported) {
        if (in_ci())
            FAIL() << "CI=true and the kernel lacks cgroup-skb-egress: " << s.reason;
        GTEST_SKIP() << s.reason;
    }
    auto topo = build_lo_topology();
    ASSERT_TRUE(topo) << topo.error().message();
    const Endpoint& lo = (*topo)->near();
    auto cgroup = Cgroup::create();
    ASSERT_TRUE(cgroup) << cgroup.error().message();
    auto table = EventTable::create();
    ASSERT_TRUE(table) << table.error().message();
    const std::uint32_t magic = 0x4867'7270; // "Hgrp"
    auto program =
        load_probe(hook, {.hook_id = 7, .magic = magic, .events_fd = (*table)->map_fd()});
    ASSERT_TRUE(program) << program.error().message() << "\n" << program.error().detail;
    auto charged = EchoSocket::open(lo.ns, cgroup->fd());
    ASSERT_TRUE(charged) << charged.error().message();
    auto ordinary = EchoSocket::open(lo.ns);
    ASSERT_TRUE(ordinary) << ordinary.error().message();
    auto attachment = attacher_for(HookFamily::CgroupSkb)
                          .attach({.ns = lo.ns,
                                   .ifname = lo.ifname,
                                   .ifindex = lo.ifindex,
                                   .cgroup_fd = cgroup->fd()},
                                  hook, **program);
    ASSERT_TRUE(attachment) << attachment.error().message();

    const auto ident = static_cast<std::uint16_t>(::getpid());
    constexpr std::uint32_t kEach = 5;
    for (std::uint32_t seq = 0; seq < 2 * kEach; ++seq) {
        EchoSocket& from = seq < kEach ? **charged : **ordinary;
        ASSERT_TRUE(from.send_request(lo.addr, ident, magic, seq));
        EXPECT_TRUE(from.wait_reply(ident, magic, seq, std::chrono::seconds(1))) << seq;
    }
    (*table)->collect_all(2 * kEach);
    std::vector<unsigned> fired(2 * kEach, 0);
    for (const hm_event& e : (*table)->events())
        if (e.hook_id == 7 && e.icmp_type == HM_ICMP_ECHO_REQUEST && e.seq < fired.size())
            ++fired[e.seq];
    for (std::uint32_t seq = 0; seq < 2 * kEach; ++seq)
        EXPECT_EQ(fired[seq], seq < kEach ? 1u : 0u)
            << "request " << seq << " from the " << (seq < kEach ? "charged" : "ordinary")
            << " socket";
}

TEST_F(CgroupSocket, Cgroup_IsRemovedWhileASocketChargedToItIsStillOpen) {
    // A cgroup with no processes can be removed even while sockets still reference it: the
    // socket keeps the kernel's cgroup object alive, not the directory.
    auto ns = Netns::create("charged");
    ASSERT_TRUE(ns) << ns.error().message();
    auto cgroup = Cgroup::create();
    ASSERT_TRUE(cgroup) << cgroup.error().message();
    const std::string path = cgroup->path();
    ASSERT_TRUE(fs::is_directory(path));
    auto sock = socket_in_cgroup(*ns, cgroup->fd(), AF_INET, SOCK_RAW, IPPROTO_ICMP);
    ASSERT_TRUE(sock) << sock.error().message();
    { Cgroup gone = std::move(*cgroup); }
    EXPECT_FALSE(fs::exists(path)) << path;
    EXPECT_TRUE(sock->valid());
}

using KilledCgroupRun = LeavesHostUnchangedWithTempDir;

TEST_F(KilledCgroupRun, SigkillHalfwayThroughCgroupSkbEgress_JanitorRemovesTheCgroup) {
    const std::string out = (dir_ / "stdout").string();
    const pid_t pid = start_hookmatrix({"run", "--hooks", "cgroup-skb-egress", "--devices", "veth",
                                        "--packets", "1000000", "-o", dir_.string()},
                                       out);
    ASSERT_GT(pid, 0);
    // Wait until the cell's cgroup exists and packets flow.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::vector<std::string> during;
    while (std::chrono::steady_clock::now() < deadline && during.empty()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        during = cgroups_of(pid);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    std::ifstream f(out);
    const std::string text(std::istreambuf_iterator<char>(f), {});
    ASSERT_TRUE(WIFSIGNALED(status)) << "hookmatrix ended before it was killed:\n" << text;
    ASSERT_EQ(during.size(), 1u) << "the cell's cgroup did not appear:\n" << text;

    // The kernel does not remove cgroups; the janitor does, once hookmatrix is gone.
    const auto patience = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < patience && fs::exists(during.front()))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(fs::exists(during.front())) << during.front() << " is left behind";
    // TearDown checks the rest of the host (and every cgroup) is as it was.
}

} // namespace
} // namespace hm::test
