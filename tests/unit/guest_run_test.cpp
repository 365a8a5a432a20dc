// The kernel axis's pure parts: kernel names, Debian's version order, the spec and initramfs
// contents a guest gets, and the frame its results come back in.
#include "core/cpio_writer.h"
#include "matrix/enumerate.h"
#include "matrix/kernel_ref.h"
#include "runners/kernels/debian_archive.h"
#include "runners/kernels/guest_image.h"
#include "runners/kernels/guest_results.h"
#include "runners/kernels/guest_run.h"
#include "runners/kernels/qemu_guest.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace hm {
namespace {

namespace fs = std::filesystem;

TEST(KernelRef, NamesParseIntoTheirKinds) {
    EXPECT_TRUE(parse_kernel_ref("host")->is_host());
    auto d = parse_kernel_ref("debian:6.12");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->kind, KernelRef::Kind::Debian);
    EXPECT_EQ(d->series, "6.12");
    EXPECT_EQ(cache_key(*d), "debian-6.12");
    EXPECT_EQ(parse_kernel_ref("built:netdevsim")->kind, KernelRef::Kind::Built);
    auto p = parse_kernel_ref("./linux/arch/x86/boot/bzImage");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->kind, KernelRef::Kind::Path);
    for (const char* bad : {"debian:six", "debian:6", "built:other", "linux-6.12", ""})
        EXPECT_FALSE(parse_kernel_ref(bad)) << bad;
    EXPECT_NE(parse_kernel_ref("6.12").error().message().find("debian:SERIES"), std::string::npos);
}

TEST(KernelRef, EnumerateAcceptsEveryKindAndRejectsUnknownNames) {
    auto plan = enumerate({.hooks = {"tc-ingress"},
                           .devices = {"veth"},
                           .kernels = {"host", "debian:6.1", "/boot/vmlinuz"}});
    ASSERT_TRUE(plan) << plan.error().message();
    ASSERT_EQ(plan->cells.size(), 3u);
    EXPECT_EQ(plan->cells[1].kernel, "debian:6.1");
    EXPECT_FALSE(enumerate({.kernels = {"debian"}}));
}

TEST(DebianVersions, CompareAsDpkgDoes) {
    EXPECT_LT(compare_debian_versions("6.12.95-1~bpo12+1", "6.12.117-1"), 0);
    EXPECT_LT(compare_debian_versions("5.10.223-1", "5.10.262-1"), 0);
    EXPECT_LT(compare_debian_versions("1.0~rc1-1", "1.0-1"), 0);
    EXPECT_GT(compare_debian_versions("1:0.1-1", "9.9-1"), 0);
    EXPECT_EQ(compare_debian_versions("6.1.192-2", "6.1.192-2"), 0);
    EXPECT_LT(compare_debian_versions("6.1", "6.12"), 0);
    EXPECT_LT(compare_debian_versions("6.12", "7.2"), 0);
}

TEST(GuestSpec, NamesExactlyTheKernelsCellsWithTheirSettings) {
    auto plan = enumerate({.hooks = {"tc-ingress", "xdpgeneric"},
                           .devices = {"veth", "lo"},
                           .kernels = {"debian:6.12"}});
    ASSERT_TRUE(plan);
    // Leave tc-ingress on lo out, as a spec's exclude might; the guest must not run it.
    std::vector<Cell> cells;
    for (Cell c : plan->cells)
        if (!(c.hook->name == std::string_view("tc-ingress") &&
              c.device->name == std::string_view("lo"))) {
            if (c.hook->name == std::string_view("xdpgeneric") &&
                c.device->name == std::string_view("veth"))
                c.settings.packets = 7;
            cells.push_back(c);
        }
    ASSERT_EQ(cells.size(), 3u);
    auto spec = nlohmann::json::parse(guest_spec_json(cells));
    EXPECT_EQ(spec["kernels"], nlohmann::json::array({"host"}));
    EXPECT_EQ(spec["hooks"].size(), 2u);
    bool lo_excluded = false;
    for (const auto& x : spec["exclude"])
        lo_excluded |= x["hook"] == "tc-ingress" && x["device"] == "lo";
    EXPECT_TRUE(lo_excluded) << spec.dump();
    ASSERT_EQ(spec["include"].size(), 1u);
    EXPECT_EQ(spec["include"][0]["packets"], 7);
}

class TempDir : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/hookmatrix-unit-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

using ModuleOrder = TempDir;

TEST_F(ModuleOrder, DependenciesComeFirstAndBuiltinsAreLeftOut) {
    std::ofstream(dir_ / "modules.dep")
        << "kernel/net/netfilter/x_tables.ko.xz:\n"
           "kernel/net/netfilter/nfnetlink.ko.xz:\n"
           "kernel/net/netfilter/nf_tables.ko.xz: kernel/net/netfilter/nfnetlink.ko.xz\n"
           "kernel/net/netfilter/nft_compat.ko.xz: kernel/net/netfilter/nf_tables.ko.xz "
           "kernel/net/netfilter/x_tables.ko.xz kernel/net/netfilter/nfnetlink.ko.xz\n"
           "kernel/net/netfilter/xt_bpf.ko.xz: kernel/net/netfilter/x_tables.ko.xz\n";
    auto order = module_load_order(dir_, {"nft_compat", "xt_bpf", "veth"});
    ASSERT_TRUE(order) << order.error().message();
    const std::vector<std::string> expected{
        "kernel/net/netfilter/nfnetlink.ko.xz", "kernel/net/netfilter/nf_tables.ko.xz",
        "kernel/net/netfilter/x_tables.ko.xz", "kernel/net/netfilter/nft_compat.ko.xz",
        "kernel/net/netfilter/xt_bpf.ko.xz"};
    EXPECT_EQ(*order, expected); // veth: built in here, so not loaded
    EXPECT_FALSE(module_load_order(dir_ / "missing", {"veth"}));
}

using Cpio = TempDir;

TEST_F(Cpio, WritesNewcEntriesWithTheirParentsOnceAndATrailer) {
    const fs::path path = dir_ / "a.cpio";
    auto w = CpioWriter::create(path.string());
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->add_file("usr/local/bin/tool", "hello", 0755));
    ASSERT_TRUE(w->add_symlink("usr/local/bin/alias", "tool"));
    ASSERT_TRUE(w->finish());
    std::ifstream in(path, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), {}};
    EXPECT_EQ(bytes.substr(0, 6), "070701");
    EXPECT_EQ(bytes.size() % 4, 0u);
    for (const char* name :
         {"usr\0", "usr/local\0", "usr/local/bin\0", "usr/local/bin/tool\0", "TRAILER!!!\0"})
        EXPECT_NE(bytes.find(std::string(name, std::strlen(name) + 1)), std::string::npos) << name;
    // Each parent directory once, though two entries needed it.
    EXPECT_EQ(bytes.find(std::string("usr/local/bin\0", 14)),
              bytes.rfind(std::string("usr/local/bin\0", 14)));
    EXPECT_NE(bytes.find("hello"), std::string::npos);
}

TEST(GuestResults, TheFrameIsFoundAmongOtherOutputAndACutFrameIsAnError) {
    const std::string json = "{\"schema\": \"hookmatrix/1\"}";
    const std::string received = "noise\r\n" + std::string(kResultsBegin) + " " +
                                 std::to_string(json.size()) + "\n" + json + "\n" + kResultsEnd +
                                 "\n";
    auto got = find_framed(received);
    ASSERT_TRUE(got) << got.error().message();
    EXPECT_EQ(*got, json);
    EXPECT_FALSE(find_framed("nothing here"));
    auto cut = find_framed(received.substr(0, received.find(json) + 5));
    ASSERT_FALSE(cut);
    EXPECT_NE(cut.error().message().find("cut short"), std::string::npos);
}

TEST(GuestConsole, TheTailIsTheLastLinesWithoutCarriageReturns) {
    std::string console;
    for (int i = 1; i <= 100; ++i)
        console += "line " + std::to_string(i) + "\r\n";
    const std::string tail = console_tail(console, 3);
    EXPECT_EQ(tail, "line 98\nline 99\nline 100\n");
}

// From a Debian 6.12 guest under TCG on a busy host (shortened).
TEST(GuestConsole, APanicIsSummedUpByItsFaultWhereAndWhy) {
    const std::string console =
        "[    2.097355] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI\r\n"
        "[    2.102896] CPU: 1 UID: 0 PID: 0 Comm: swapper/1 Not tainted 6.12.118+deb13\r\n"
        "[    2.103112] RIP: 0010:sched_clock_idle_wakeup_event+0x5/0x40\r\n"
        "[    2.107686] RIP: 0010:pv_native_safe_halt+0xf/0x20\r\n"
        "[    2.108472] Kernel panic - not syncing: Fatal exception in interrupt\r\n"
        "[    2.108473] Kernel panic - not syncing: a second one\r\n";
    EXPECT_EQ(panic_summary(console),
              "Oops: int3: 0000 at sched_clock_idle_wakeup_event+0x5/0x40; Kernel panic - not "
              "syncing: Fatal exception in interrupt");
    EXPECT_EQ(panic_summary("[    2.0] Kernel panic - not syncing: VFS: Unable to mount root fs\n"),
              "Kernel panic - not syncing: VFS: Unable to mount root fs");
    EXPECT_EQ(panic_summary("guest: upKernel panic - not syncing: Attempted to kill init!"),
              "Kernel panic - not syncing: Attempted to kill init!");
    EXPECT_EQ(panic_summary("[    1.0] Oops: but it lived on\nhookmatrix-guest: up\n"), "");
    EXPECT_EQ(panic_summary(""), "");
}

TEST(GuestInit, LoadsModulesRunsTheJobAndReboots) {
    const std::string init = guest_init_script();
    EXPECT_TRUE(init.starts_with("#!/bin/sh\n"));
    EXPECT_NE(init.find("insmod"), std::string::npos);
    EXPECT_NE(init.find("hookmatrix guest /hookmatrix/argv"), std::string::npos);
    EXPECT_NE(init.find(kGuestUp), std::string::npos);
    EXPECT_TRUE(init.ends_with("reboot -f\n"));
}

} // namespace
} // namespace hm
