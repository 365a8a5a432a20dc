// The hookmatrix binary end to end, as users and CI run it: exit codes, results.json, and what a
// SIGKILL halfway through leaves behind (nothing).
#include "core/spawn.h"
#include "matrix/results/results_json.h"
#include "support.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace hm::test {
namespace {

namespace fs = std::filesystem;

using Cli = LeavesHostUnchangedWithTempDir;

TEST_F(Cli, RunSixHooksOnVeth_WritesSixPassingCellsWith200SamplesEach) {
    auto r = spawn({HOOKMATRIX_BINARY, "run", "--hooks",
                    "xdpgeneric,xdpdrv,tc-ingress,tc-egress,xt-bpf-input,xt-bpf-output",
                    "--devices", "veth", "--packets", "200", "-o", dir_.string()},
                   std::chrono::minutes(5));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
    EXPECT_NE(r->out.find("6 pass, 0 fail, 0 unsupported, 0 error"), std::string::npos) << r->out;

    auto results = read_results_file((dir_ / "results.json").string());
    ASSERT_TRUE(results) << results.error().message();
    EXPECT_EQ(results->run.packets_per_cell, 200u);
    ASSERT_EQ(results->cells.size(), 6u);
    std::vector<std::string> hooks;
    for (const auto& c : results->cells) {
        hooks.push_back(c.hook);
        EXPECT_EQ(c.device, "veth");
        EXPECT_EQ(c.verdict, Verdict::Pass) << c.hook << ": " << c.reason;
        EXPECT_EQ(c.samples_ns.size(), 200u) << c.hook;
        EXPECT_EQ(c.latency.samples, 200u) << c.hook;
    }
    EXPECT_EQ(hooks, (std::vector<std::string>{"xdpgeneric", "xdpdrv", "tc-ingress", "tc-egress",
                                               "xt-bpf-input", "xt-bpf-output"}));
}

TEST_F(Cli, RunWithChoir_WritesOneChoirPerDeviceWithItsOrder) {
    auto r = spawn({HOOKMATRIX_BINARY, "run", "--hooks", "tc-ingress", "--devices", "veth,tap",
                    "--packets", "20", "--choir", "-o", dir_.string()},
                   std::chrono::minutes(2));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 0) << r->out << r->err;
    std::ifstream f(dir_ / "results.json");
    auto doc = nlohmann::json::parse(f, nullptr, false);
    ASSERT_FALSE(doc.is_discarded());
    ASSERT_EQ(doc["choirs"].size(), 2u);
    EXPECT_EQ(doc["choirs"][0]["device"], "veth");
    EXPECT_EQ(doc["choirs"][1]["device"], "tap");
    for (const auto& c : doc["choirs"]) {
        EXPECT_EQ(c["same_order"], 20);
        EXPECT_EQ(c["order"].size(), c["hooks"].size());
        EXPECT_TRUE(c["deviations"].empty());
        for (const auto& h : c["hooks"])
            EXPECT_EQ(h["verdict"], "pass") << h.dump();
    }
    EXPECT_NE(r->out.find("choir on tap"), std::string::npos) << r->out;
}

TEST_F(Cli, UnknownHook_ExitsWithUsageErrorNamingIt) {
    auto r =
        spawn({HOOKMATRIX_BINARY, "run", "--hooks", "xdpgeneric,nosuchhook", "-o", dir_.string()});
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 2);
    EXPECT_NE(r->err.find("unknown hook 'nosuchhook'"), std::string::npos) << r->err;
    EXPECT_FALSE(fs::exists(dir_ / "results.json"));
}

TEST_F(Cli, ObjectThatDoesNotExist_IsAUsageErrorBeforeAnythingRuns) {
    auto r = spawn({HOOKMATRIX_BINARY, "run", "--object", "tc-ingress=/nonexistent/hello.o:hello",
                    "-o", dir_.string()});
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 2);
    EXPECT_NE(r->err.find("no such file '/nonexistent/hello.o'"), std::string::npos) << r->err;
    auto bad_hook = spawn({HOOKMATRIX_BINARY, "run", "--object",
                           "tc-ingres=" HOOKMATRIX_TEST_OBJECTS "/hello.o", "-o", dir_.string()});
    ASSERT_TRUE(bad_hook);
    EXPECT_EQ(bad_hook->exit_code, 2);
    EXPECT_NE(bad_hook->err.find("unknown hook 'tc-ingres'"), std::string::npos) << bad_hook->err;
}

TEST_F(Cli, ListPrintsOneCellPerLine) {
    auto r =
        spawn({HOOKMATRIX_BINARY, "list", "--hooks", "tc-egress,xdpdrv", "--devices", "lo,veth"});
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 0);
    EXPECT_EQ(r->out, "xdpdrv veth host\ntc-egress veth host\ntc-egress lo host\n"
                      "# excluded xdpdrv lo host: the loopback driver has no native XDP (no "
                      "ndo_bpf); use xdpgeneric on lo\n");
}

class KilledRun : public Cli, public ::testing::WithParamInterface<const char*> {};

TEST_P(KilledRun, SigkillHalfwayThroughACell_LeavesNothingBehind) {
    // Enough packets that the run is certainly inside its one cell (topology built, program
    // attached: a bpf_link, a tc filter or an iptables rule) when it is killed.
    const std::string out = (dir_ / "stdout").string();
    const pid_t pid = start_hookmatrix(
        {"run", "--hooks", GetParam(), "--packets", "1000000", "-o", dir_.string()}, out);
    ASSERT_GT(pid, 0);
    // Wait until the run is well inside its first cell: the banner is out and packets flow.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::string text;
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream f(out);
        text.assign(std::istreambuf_iterator<char>(f), {});
        if (text.find("cells on kernel") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // Then until its program is loaded (after the topology and the warm-up: a fixed pause was
    // not always long enough on a busy machine), and a moment more to attach it.
    wait_for_new_program(before_.programs, deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    HostState during = HostState::capture();
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "hookmatrix ended before it was killed:\n" << text;
    EXPECT_EQ(WTERMSIG(status), SIGKILL);
    // While it ran, its program was loaded: the kill really interrupted a cell.
    EXPECT_NE(during.programs, before_.programs) << "no program was loaded when killed";
    EXPECT_FALSE(fs::exists(dir_ / "results.json"));
    // TearDown checks that the host returns to how it was before.
}

INSTANTIATE_TEST_SUITE_P(EachFamily, KilledRun,
                         // tun-steering runs only on tap: its one cell is the tap topology.
                         ::testing::Values("xdpdrv", "tc-egress", "xt-bpf-input", "tcx-ingress",
                                           "netfilter-local-in", "tun-steering"),
                         [](const auto& info) {
                             std::string n = info.param;
                             std::erase(n, '-');
                             return n;
                         });

} // namespace
} // namespace hm::test
