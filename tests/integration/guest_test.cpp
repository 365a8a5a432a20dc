// The kernel axis end to end: Debian's 6.12 cloud kernel fetched into the cache (on a fresh
// machine, through apt-get download) and booted in qemu with this hookmatrix inside; a guest
// that cannot finish, and an image that is no kernel, become error cells while the host's cells
// go on; a SIGKILLed run leaves no qemu and no scratch directory.
#include "core/spawn.h"
#include "matrix/results/results_json.h"
#include "support.h"

#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <thread>

namespace hm::test {
namespace {

namespace fs = std::filesystem;

class Guest : public LeavesHostUnchangedWithTempDir {
protected:
    void SetUp() override {
        LeavesHostUnchangedWithTempDir::SetUp();
        for (const char* tool : {"qemu-system-x86_64", "busybox", "depmod", "dpkg-deb", "apt-get"})
            HM_REQUIRE_PROGRAM(tool);
    }
    SpawnResult run(std::vector<std::string> args) {
        std::vector<std::string> argv{HOOKMATRIX_BINARY, "run"};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.insert(argv.end(), {"-o", dir_.string(), "--no-html", "--no-junit", "--no-markdown"});
        auto r = spawn(argv, std::chrono::minutes(15));
        EXPECT_TRUE(r) << r.error().message();
        return r ? *r : SpawnResult{};
    }
    RunResult results() {
        auto r = read_results_file((dir_ / "results.json").string());
        EXPECT_TRUE(r) << r.error().message();
        return r ? *r : RunResult{};
    }
};

TEST_F(Guest, Debian612RunsItsCellsInAGuestBesideTheHostsInOneResultsFile) {
    auto r = run({"--kernels", "host,debian:6.12", "--hooks", "tc-ingress,tcx-ingress,xt-bpf-input",
                  "--devices", "veth", "--packets", "20"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const RunResult res = results();
    ASSERT_EQ(res.cells.size(), 6u) << r.out;
    ASSERT_EQ(res.run.kernel_runs.size(), 2u);
    // In version order: Debian's 6.12 before the host's 6.18.
    EXPECT_EQ(res.run.kernel_runs[1].name, "host");
    const KernelRun& guest = res.run.kernel_runs[0];
    EXPECT_EQ(guest.name, "debian:6.12");
    EXPECT_TRUE(guest.release.starts_with("6.12.")) << guest.release;
    EXPECT_TRUE(guest.how == "tcg" || guest.how == "kvm") << guest.how;
    EXPECT_GT(guest.boot_s, 0);
    EXPECT_GT(guest.wall_s, guest.boot_s);
    EXPECT_TRUE(guest.error.empty()) << guest.error;
    std::size_t in_guest = 0;
    for (const CellResult& c : res.cells) {
        EXPECT_EQ(c.verdict, Verdict::Pass) << c.hook << " on " << c.kernel << ": " << c.reason;
        EXPECT_EQ(c.samples_ns.size(), 20u) << c.hook << " on " << c.kernel;
        in_guest += c.kernel == guest.release;
    }
    EXPECT_EQ(in_guest, 3u);
}

// bench in a TCG guest: the cells run, and every figure and the ratio say they are emulated (only
// ratios within the guest mean anything there).
TEST_F(Guest, BenchInATcgGuestMarksEveryFigureEmulated) {
    auto r = spawn({HOOKMATRIX_BINARY, "bench", "--kernels", "debian:6.12", "--accel", "tcg",
                    "--hooks", "xdpgeneric,xdpdrv", "--devices", "veth", "--source", "skb",
                    "--seconds", "0.2", "--windows", "1", "-o", dir_.string(), "--no-html"},
                   std::chrono::minutes(15));
    ASSERT_TRUE(r) << r.error().message();
    ASSERT_EQ(r->exit_code, 0) << r->out << r->err;
    const RunResult res = results();
    ASSERT_EQ(res.throughput.size(), 2u) << r->out;
    for (const ThroughputResult& t : res.throughput) {
        EXPECT_TRUE(t.kernel.starts_with("6.12.")) << t.kernel;
        EXPECT_EQ(t.verdict, Verdict::Pass) << t.hook << ": " << t.reason;
        EXPECT_TRUE(t.emulated) << t.hook;
    }
    ASSERT_EQ(res.throughput_ratios.size(), 1u) << r->out;
    EXPECT_TRUE(res.throughput_ratios[0].emulated);
    EXPECT_NE(r->out.find("emulated"), std::string::npos) << r->out;
}

TEST_F(Guest, AGuestPastItsTimeoutIsKilledAndItsCellsAreErrorsWithTheConsole) {
    auto r = run({"--kernels", "host,debian:6.12", "--hooks", "tc-ingress", "--devices", "veth",
                  "--packets", "5", "--guest-timeout", "2"});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    const RunResult res = results();
    ASSERT_EQ(res.cells.size(), 2u);
    EXPECT_EQ(res.cells[0].verdict, Verdict::Pass) << "the host's cell goes on";
    EXPECT_EQ(res.cells[1].verdict, Verdict::Error);
    EXPECT_NE(res.cells[1].reason.find("did not finish within 2 s"), std::string::npos)
        << res.cells[1].reason;
    ASSERT_EQ(res.run.kernel_runs.size(), 2u);
    // In version order: the guest never said its release, so it goes by its name's 6.12.
    EXPECT_EQ(res.run.kernel_runs[0].name, "debian:6.12");
    EXPECT_FALSE(res.run.kernel_runs[0].error.empty());
}

TEST_F(Guest, AnImageThatIsNoKernelIsAnErrorNamingIt) {
    const fs::path bogus = dir_ / "not-a-kernel";
    std::ofstream(bogus) << "this is not a bzImage\n";
    auto r = run({"--kernels", bogus.string(), "--hooks", "tc-ingress", "--devices", "veth",
                  "--packets", "5"});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    const RunResult res = results();
    ASSERT_EQ(res.cells.size(), 1u);
    EXPECT_EQ(res.cells[0].verdict, Verdict::Error);
    EXPECT_EQ(res.cells[0].kernel, bogus.string());
    EXPECT_NE(res.cells[0].reason.find("qemu"), std::string::npos) << res.cells[0].reason;
}

TEST_F(Guest, SigkillWhileAGuestRuns_LeavesNoQemuAndNoScratchDirectory) {
    // Fetch first (a no-op when cached), so that the kill lands while the guest runs.
    auto warm =
        spawn({HOOKMATRIX_BINARY, "kernels", "fetch", "debian:6.12"}, std::chrono::minutes(10));
    ASSERT_TRUE(warm && warm->exit_code == 0) << (warm ? warm->err : warm.error().message());
    const std::string out = (dir_ / "stdout").string();
    const pid_t pid =
        start_hookmatrix({"run", "--kernels", "debian:6.12", "--hooks", "tc-ingress", "--devices",
                          "veth", "--packets", "1000000", "-o", (dir_ / "out").string()},
                         out);
    ASSERT_GT(pid, 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool booting = false;
    while (!booting && std::chrono::steady_clock::now() < deadline) {
        std::ifstream f(out);
        const std::string text{std::istreambuf_iterator<char>(f), {}};
        booting = text.find("booting") != std::string::npos;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(booting) << "the guest never started";
    std::this_thread::sleep_for(std::chrono::seconds(2));
    HostState during = HostState::capture();
    EXPECT_NE(during.guests, before_.guests) << "no qemu or scratch directory while it ran";
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status));
    // TearDown waits for the host to return to how it was: qemu gone, directory removed.
}

} // namespace
} // namespace hm::test
