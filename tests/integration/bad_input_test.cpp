// Bad input, as a new user (or a broken CI step) gives it: every case ends within its time limit
// with one line on stderr naming what was wrong and the documented exit code (2: bad input; 1
// for a program the verifier rejects, which is a cell's error), never with a crash, a hang or a
// half-written file, and leaves the host as it was. One table; each row is a test of its own.
#include "core/spawn.h"
#include "matrix/results/results_json.h"
#include "support.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace hm::test {
namespace {

namespace fs = std::filesystem;

struct Case {
    const char* name;
    std::vector<std::string> args; // {dir} is the test's folder, {objects} the built test objects
    int exit_code;
    const char* says; // a piece of the one line on stderr
    const char* iptables = nullptr; // $HOOKMATRIX_IPTABLES for the case ({dir} expanded)
};

// The files the cases name, made in `dir`.
void make_inputs(const fs::path& dir) {
    auto write = [&](const char* name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
    };
    RunResult good;
    good.run.started = std::chrono::system_clock::now();
    good.cells.push_back({.hook = "tc-ingress", .device = "veth", .kernel = "6.18",
                          .verdict = Verdict::Pass, .reason = "fired"});
    const std::string good_json = json_text(to_json(good));
    write("good.json", good_json);
    write("truncated.json", good_json.substr(0, good_json.size() / 2));
    write("empty.json", "");
    write("blank.json", "  \n\t\n");
    write("foreign.json", R"({"name": "not hookmatrix"})");
    write("array.json", "[1, 2, 3]");
    write("schema99.json", R"({"schema": "hookmatrix/99", "run": {}, "cells": []})");
    write("not-utf8.json", "{\"schema\": \"hookmatrix/1\", \"run\": {\"host\": \"\xff\xfe\"}}");
    write("cells-not-array.json", R"({"schema": "hookmatrix/1", "run": {}, "cells": 7})");
    write("verdict-maybe.json",
          R"({"schema": "hookmatrix/1", "run": {}, "cells": [{"hook": "xdp", "device": "veth",
              "kernel": "6.18", "verdict": "maybe", "reason": "?"}]})");
    write("spec-list-key.yaml", "{[a]: 1}");
    write("spec-empty.yaml", "");
    write("spec-not-yaml.yaml", "hooks: [xdp\ndevices: ]]\n");
    write("spec-hooks-number.yaml", "hooks: 5\n");
    write("spec-packets-zero.yaml", "packets: 0\n");
    write("spec-packets-huge.yaml", "packets: 99999999999\n");
    write("spec-packets-text.yaml", "packets: many\n");
    write("spec-unknown-key.yaml", "colour: red\n");
    write("spec-unknown-hook.yaml", "hooks: [no-such-hook]\n");
    write("spec-json-devices-map.json", R"({"hooks": ["xdp"], "devices": {}})");
    write("spec-timeout-huge.yaml", "reply_timeout_ms: 99999999\n");
    write("expect-not-yaml.yaml", "- [\n");
    write("expect-pass.yaml", "- hook: xdp\n  pass: no reason\n");
    write("empty.o", "");
    write("text.o", "this is not an ELF object\n");
    write("iptables", "#!/bin/sh\n");
    fs::permissions(dir / "iptables", fs::perms::owner_all);
    ::mkfifo((dir / "fifo").c_str(), 0600);
    fs::create_directories(dir / "a-directory");
    // Larger than any input may be (256 MiB), without taking the disk: a sparse file.
    std::ofstream(dir / "huge.json").close();
    fs::resize_file(dir / "huge.json", (std::uintmax_t{256} << 20) + 1);
}

// gtest names each case by its row; without this it would print the struct's bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

const std::vector<Case>& cases() {
    static const std::vector<Case> all{
        // Command-line values.
        {"HooksEmpty", {"run", "--hooks", ""}, 2, "--hooks: empty"},
        {"HooksOnlyCommas", {"run", "--hooks", ",,"}, 2, "--hooks: empty"},
        {"DevicesEmpty", {"run", "--devices", ""}, 2, "--devices: empty"},
        {"KernelsEmpty", {"run", "--kernels", ""}, 2, "--kernels: empty"},
        {"UnknownHook", {"run", "--hooks", "no-such-hook"}, 2, "no-such-hook"},
        {"UnknownDevice", {"run", "--devices", "no-such-device"}, 2, "no-such-device"},
        {"PacketsZero", {"run", "--packets", "0"}, 2, "--packets"},
        {"PacketsFourBillion", {"run", "--packets", "4000000000"}, 2, "--packets"},
        {"PacketsTwoMillion", {"run", "--packets", "2000000"}, 2, "--packets"},
        {"PacketsNegative", {"run", "--packets", "-5"}, 2, "--packets"},
        {"PacketsText", {"run", "--packets", "many"}, 2, "--packets"},
        {"ReplyTimeoutZero", {"run", "--reply-timeout", "0"}, 2, "--reply-timeout"},
        {"ReplyTimeoutHuge", {"run", "--reply-timeout", "99999999"}, 2, "--reply-timeout"},
        {"RoundsZero", {"run", "--rounds", "0"}, 2, "--rounds"},
        {"RoundsFiftyOne", {"run", "--rounds", "51"}, 2, "--rounds"},
        {"ShardPastN", {"run", "--shard", "3/2"}, 2, "--shard"},
        {"ShardText", {"run", "--shard", "half"}, 2, "--shard"},
        {"CpuNotOurs", {"run", "--cpu", "99999"}, 2, "--cpu"},
        {"ThresholdWithoutBaseline", {"run", "--threshold", "5%"}, 2, "--threshold"},
        {"BenchSecondsZero", {"bench", "--seconds", "0"}, 2, "--seconds"},
        {"UnknownSubcommand", {"frobnicate"}, 2, "frobnicate"},
        // Spec files.
        {"SpecListAsKey", {"run", "--spec", "{dir}/spec-list-key.yaml"}, 2, "spec-list-key.yaml"},
        {"SpecEmpty", {"run", "--spec", "{dir}/spec-empty.yaml"}, 2, "spec-empty.yaml"},
        {"SpecNotYaml", {"run", "--spec", "{dir}/spec-not-yaml.yaml"}, 2, "spec-not-yaml.yaml"},
        {"SpecHooksNumber", {"run", "--spec", "{dir}/spec-hooks-number.yaml"}, 2, "hooks"},
        {"SpecPacketsZero", {"run", "--spec", "{dir}/spec-packets-zero.yaml"}, 2, "packets"},
        {"SpecPacketsHuge", {"run", "--spec", "{dir}/spec-packets-huge.yaml"}, 2, "packets"},
        {"SpecPacketsText", {"run", "--spec", "{dir}/spec-packets-text.yaml"}, 2, "packets"},
        {"SpecUnknownKey", {"run", "--spec", "{dir}/spec-unknown-key.yaml"}, 2, "colour"},
        {"SpecUnknownHook", {"run", "--spec", "{dir}/spec-unknown-hook.yaml"}, 2, "no-such-hook"},
        {"SpecJsonDevicesMap", {"run", "--spec", "{dir}/spec-json-devices-map.json"}, 2, "devices"},
        {"SpecTimeoutHuge", {"run", "--spec", "{dir}/spec-timeout-huge.yaml"}, 2, "reply_timeout"},
        {"SpecFifo", {"run", "--spec", "{dir}/fifo"}, 2, "a FIFO"},
        {"SpecDirectory", {"run", "--spec", "{dir}/a-directory"}, 2, "a directory"},
        {"SpecDevZero", {"run", "--spec", "/dev/zero"}, 2, "a character device"},
        {"SpecMissing", {"run", "--spec", "{dir}/no-such-spec.yaml"}, 2, "no-such-spec.yaml"},
        // Results files.
        {"DiffEmpty", {"diff", "{dir}/empty.json", "{dir}/good.json"}, 2, "empty.json"},
        {"DiffBlank", {"diff", "{dir}/blank.json", "{dir}/good.json"}, 2, "blank.json"},
        {"DiffTruncated", {"diff", "{dir}/truncated.json", "{dir}/good.json"}, 2, "truncated"},
        {"DiffForeign", {"diff", "{dir}/foreign.json", "{dir}/good.json"}, 2, "foreign.json"},
        {"DiffArray", {"diff", "{dir}/good.json", "{dir}/array.json"}, 2, "array.json"},
        {"DiffSchema99", {"diff", "{dir}/schema99.json", "{dir}/good.json"}, 2, "hookmatrix/99"},
        {"DiffNotUtf8", {"diff", "{dir}/not-utf8.json", "{dir}/good.json"}, 2, "not-utf8.json"},
        {"DiffCellsNotArray", {"diff", "{dir}/cells-not-array.json", "{dir}/good.json"}, 2,
         "cells"},
        {"DiffVerdictMaybe", {"diff", "{dir}/verdict-maybe.json", "{dir}/good.json"}, 2, "maybe"},
        {"DiffDevZero", {"diff", "/dev/zero", "{dir}/good.json"}, 2, "a character device"},
        {"DiffFifo", {"diff", "{dir}/fifo", "{dir}/good.json"}, 2, "a FIFO"},
        {"DiffDirectory", {"diff", "{dir}/a-directory", "{dir}/good.json"}, 2, "a directory"},
        {"DiffHuge", {"diff", "{dir}/huge.json", "{dir}/good.json"}, 2, "MiB"},
        {"DiffMissing", {"diff", "{dir}/no-such.json", "{dir}/good.json"}, 2, "no-such.json"},
        {"DiffOneFile", {"diff", "{dir}/good.json"}, 2, "--kernels"},
        {"DiffThresholdText", {"diff", "--threshold", "lots", "{dir}/good.json", "{dir}/good.json"},
         2, "--threshold"},
        {"DiffHistoryNotADirectory", {"diff", "--history", "{dir}/good.json", "{dir}/good.json"},
         2, "not a directory"},
        {"MergeTheSameFileTwice", {"merge", "-o", "{dir}/merged", "{dir}/good.json",
                                   "{dir}/good.json"}, 2, "good.json"},
        {"ReportDevZero", {"report", "--markdown", "{dir}/out.md", "/dev/zero"}, 2, "a character device"},
        {"ReportTruncated", {"report", "--markdown", "{dir}/out.md", "{dir}/truncated.json"}, 2, "truncated"},
        {"ExpectNotYaml", {"diff", "--expect", "{dir}/expect-not-yaml.yaml", "{dir}/good.json",
                           "{dir}/good.json"}, 2, "expect-not-yaml.yaml"},
        {"ExpectPass", {"diff", "--expect", "{dir}/expect-pass.yaml", "{dir}/good.json",
                        "{dir}/good.json"}, 2, "pass"},
        {"ExpectFifo", {"diff", "--expect", "{dir}/fifo", "{dir}/good.json", "{dir}/good.json"},
         2, "a FIFO"},
        // BPF objects: checked before anything is made (no -o directory either).
        {"ObjectMissing", {"run", "--hooks", "xdp", "--devices", "veth", "--object",
                           "xdp={dir}/no-such.o", "-o", "{dir}/out"}, 2, "no such file"},
        {"ObjectEmpty", {"run", "--hooks", "xdp", "--devices", "veth", "--object",
                         "xdp={dir}/empty.o", "-o", "{dir}/out"}, 2, "BPF object"},
        {"ObjectNotElf", {"run", "--hooks", "xdp", "--devices", "veth", "--object",
                          "xdp={dir}/text.o", "-o", "{dir}/out"}, 2, "BPF object"},
        {"ObjectDirectory", {"run", "--hooks", "xdp", "--devices", "veth", "--object",
                             "xdp={dir}/a-directory", "-o", "{dir}/out"}, 2, "a-directory"},
        {"ObjectNoSuchSection", {"run", "--hooks", "xdp", "--devices", "veth", "--object",
                                 "xdp={objects}/hello.o:no_such_section", "-o", "{dir}/out"}, 2,
         "no_such_section"},
        {"ObjectUnknownHook", {"run", "--object", "no-such-hook={objects}/hello.o"}, 2,
         "no-such-hook"},
        // --results-port (hidden; for guests): a serial or virtio-serial port, nothing else.
        {"ResultsPortRegularFile", {"run", "--hooks", "xdp", "--devices", "veth",
                                    "--results-port", "{dir}/good.json", "-o", "{dir}/out"}, 2,
         "not a serial or virtio-serial port"},
        {"ResultsPortDevNull", {"run", "--hooks", "xdp", "--results-port", "/dev/null", "-o",
                                "{dir}/out"}, 2, "not a serial or virtio-serial port"},
        {"ResultsPortNoSuchTty", {"run", "--hooks", "xdp", "--results-port", "/dev/ttyS9999",
                                  "-o", "{dir}/out"}, 2, "No such file"},
        {"ResultsPortDotDot", {"run", "--hooks", "xdp", "--results-port",
                               "/dev/virtio-ports/../../{dir}/good.json", "-o", "{dir}/out"}, 2,
         "not a serial or virtio-serial port"},
        {"ResultsPortNoSuchVirtioPort", {"run", "--hooks", "xdp", "--results-port",
                                         "/dev/virtio-ports/no.such.port", "-o", "{dir}/out"},
         2, "No such file"},
        // $HOOKMATRIX_IPTABLES: a program a root process runs; only root's own iptables.
        {"IptablesRelative", {"run", "--hooks", "xt-bpf-input", "-o", "{dir}/out"}, 2,
         "not an absolute path", "iptables"},
        {"IptablesNotIptables", {"run", "--hooks", "xt-bpf-input", "-o", "{dir}/out"}, 2,
         "not an iptables program", "/bin/sh"},
        {"IptablesInAWorldWritableTree", {"run", "--hooks", "xt-bpf-input", "-o", "{dir}/out"},
         2, "writable by group or others", "{dir}/iptables"},
        {"IptablesMissing", {"bench", "--hooks", "xdpgeneric", "-o", "{dir}/out"}, 2,
         "No such file", "/usr/sbin/iptables-no-such-flavour"},
        {"BenchResultsPortRegularFile", {"bench", "--hooks", "xdpgeneric", "--results-port",
                                         "{dir}/good.json", "-o", "{dir}/out"}, 2,
         "not a serial or virtio-serial port"},
    };
    return all;
}

std::string expand(std::string arg, const fs::path& dir) {
    for (auto [key, value] : {std::pair{std::string("{dir}"), dir.string()},
                              std::pair{std::string("{objects}"),
                                        std::string(HOOKMATRIX_TEST_OBJECTS)}})
        for (std::size_t at; (at = arg.find(key)) != std::string::npos;)
            arg.replace(at, key.size(), value);
    return arg;
}

class BadInput : public LeavesHostUnchangedWithTempDir,
                 public ::testing::WithParamInterface<Case> {};

TEST_P(BadInput, EndsWithOneLineAndItsExitCode) {
    HM_REQUIRE_PREREQUISITES();
    make_inputs(dir_);
    const Case& c = GetParam();
    std::vector<std::string> argv{HOOKMATRIX_BINARY};
    for (const std::string& a : c.args)
        argv.push_back(expand(a, dir_));
    if (c.iptables)
        ::setenv("HOOKMATRIX_IPTABLES", expand(c.iptables, dir_).c_str(), 1);
    // A hang is a failure: each case gets 20 s, far more than refusing takes.
    auto r = spawn(argv, std::chrono::seconds(20));
    ::unsetenv("HOOKMATRIX_IPTABLES");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, c.exit_code) << r->err;
    EXPECT_NE(r->err.find(c.says), std::string::npos) << r->err;
    // One line: the error (CLI11 adds its "Run with --help" line to a bad option).
    const auto lines = std::ranges::count(r->err, '\n');
    EXPECT_GE(lines, 1) << r->err;
    EXPECT_LE(lines, 2) << r->err;
    EXPECT_EQ(r->err.find("terminate called"), std::string::npos) << r->err;
    // Refused before anything was made: no output directory, no half-written file.
    EXPECT_FALSE(fs::exists(dir_ / "out"));
    EXPECT_FALSE(fs::exists(dir_ / "merged"));
    for (const auto& e : fs::directory_iterator(dir_))
        EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
}

INSTANTIATE_TEST_SUITE_P(Table, BadInput, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                             return std::string(info.param.name);
                         });

TEST(BadInputTable, HoldsAtLeastFiftyCases) {
    EXPECT_GE(cases().size(), 50u);
}

} // namespace
} // namespace hm::test
