// runners/kernels/kernel_build.h: built:netdevsim's config fragment and the build's command lines,
// checked without building (the build itself takes half an hour and stays out of CI;
// docs/kernels.md).
#include "runners/kernels/build_series.h"
#include "runners/kernels/kernel_build.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace hm {
namespace {

std::map<std::string, std::string> fragment_options() {
    std::map<std::string, std::string> out;
    for (auto& o : parse_kconfig(netdevsim_config_fragment()))
        out[o.name] = o.value;
    return out;
}

TEST(NetdevsimConfig, AsksForEverythingTheGuestAndTheMatrixNeed) {
    const auto options = fragment_options();
    // Boot on qemu's serial console with the uncompressed cpio initramfs; what /init mounts and
    // busybox and a threaded C++ program call; namespaces, cgroups, every hook family's kernel
    // part, netdevsim, and BTF for the netfilter probe's CO-RE reads.
    for (const char* name : {"64BIT",
                             "PRINTK",
                             "TTY",
                             "SERIAL_8250",
                             "SERIAL_8250_CONSOLE",
                             "BLK_DEV_INITRD",
                             "DEVTMPFS",
                             "PROC_FS",
                             "SYSFS",
                             "TMPFS",
                             "BINFMT_ELF",
                             "BINFMT_SCRIPT",
                             "FUTEX",
                             "EPOLL",
                             "EVENTFD",
                             "UNIX",
                             "NET",
                             "INET",
                             "IPV6",
                             "PACKET",
                             "NAMESPACES",
                             "NET_NS",
                             "CGROUPS",
                             "CGROUP_BPF",
                             "BPF_SYSCALL",
                             "BPF_JIT",
                             "DEBUG_INFO_BTF",
                             "BPF_EVENTS",
                             "DEBUG_FS",
                             "NET_SCHED",
                             "NET_SCH_INGRESS",
                             "NET_CLS_ACT",
                             "NET_CLS_BPF",
                             "NET_ACT_BPF",
                             "NET_XGRESS",
                             "NETFILTER",
                             "NETFILTER_BPF_LINK",
                             "NF_TABLES",
                             "NFT_COMPAT",
                             "NETFILTER_XTABLES",
                             "NETFILTER_XT_MATCH_BPF",
                             "NETFILTER_XT_MATCH_COMMENT",
                             "IP_NF_IPTABLES",
                             "IP_NF_FILTER",
                             "TUN",
                             "VETH",
                             "NETDEVSIM"}) {
        auto it = options.find(std::string("CONFIG_") + name);
        ASSERT_NE(it, options.end()) << "CONFIG_" << name << " missing from the fragment";
        EXPECT_EQ(it->second, "y") << "CONFIG_" << name;
    }
}

TEST(NetdevsimConfig, BuildsEverythingIn) {
    for (const auto& o : parse_kconfig(netdevsim_config_fragment()))
        EXPECT_NE(o.value, "m") << o.name << ": the guest of a built kernel loads no modules";
    EXPECT_FALSE(fragment_options().contains("CONFIG_MODULES"))
        << "tinyconfig leaves modules off; the fragment must not turn them on";
}

TEST(NetdevsimConfig, ParsesAssignmentsAndNotSetLines) {
    const auto o = parse_kconfig("# comment\nCONFIG_A=y\n# CONFIG_B is not set\n"
                                 "CONFIG_C=\"-x\"\nCONFIG_D=4\n");
    ASSERT_EQ(o.size(), 4u);
    EXPECT_EQ(o[0].name, "CONFIG_A");
    EXPECT_EQ(o[1].name, "CONFIG_B");
    EXPECT_EQ(o[1].value, "n");
    EXPECT_EQ(o[2].value, "\"-x\"");
    EXPECT_EQ(o[3].value, "4");
}

TEST(NetdevsimConfig, DroppedOptionsNameWhatOlddefconfigLostAndWhy) {
    const std::string fragment = "CONFIG_NETDEVSIM=y\nCONFIG_DEBUG_INFO_BTF=y\nCONFIG_TUN=y\n";
    // olddefconfig without pahole in PATH: BTF silently gone; TUN made a module by hand.
    const std::string config = "CONFIG_NETDEVSIM=y\n# CONFIG_DEBUG_INFO_BTF is not set\n"
                               "CONFIG_TUN=m\n";
    const auto dropped = dropped_options(fragment, config);
    ASSERT_EQ(dropped.size(), 2u);
    EXPECT_EQ(dropped[0].rfind("CONFIG_DEBUG_INFO_BTF=y became not set: needs pahole", 0), 0u)
        << dropped[0];
    EXPECT_NE(dropped[0].find("dwarves"), std::string::npos) << dropped[0];
    EXPECT_EQ(dropped[1], "CONFIG_TUN=y became m");
}

TEST(NetdevsimConfig, NothingDroppedWhenEveryOptionSurvives) {
    std::string config = "CONFIG_OTHER=y\n";
    for (const auto& o : parse_kconfig(netdevsim_config_fragment()))
        config += o.name + "=" + o.value + "\n";
    EXPECT_TRUE(dropped_options(netdevsim_config_fragment(), config).empty());
    // An option absent from .config counts as not set.
    EXPECT_EQ(dropped_options("CONFIG_VETH=y\n", "").size(), 1u);
}

TEST(NetdevsimConfig, AnOptionTheSourceDoesNotDefineIsNotAskedOfIt) {
    // 7.2 defines NETFILTER_XTABLES_LEGACY, 6.12 does not: one fragment serves both.
    const std::string fragment = "CONFIG_NETFILTER_XTABLES_LEGACY=y\nCONFIG_IP_NF_FILTER=y\n";
    const std::set<std::string> v612{"CONFIG_IP_NF_FILTER"};
    EXPECT_TRUE(dropped_options(fragment, "CONFIG_IP_NF_FILTER=y\n", v612).empty());
    EXPECT_EQ(undefined_options(fragment, v612),
              std::vector<std::string>{"CONFIG_NETFILTER_XTABLES_LEGACY"});
    // Defined and dropped is still an error (7.2 without the legacy tables: IP_NF_FILTER gone).
    const std::set<std::string> v72{"CONFIG_NETFILTER_XTABLES_LEGACY", "CONFIG_IP_NF_FILTER"};
    EXPECT_EQ(dropped_options(fragment, "# CONFIG_IP_NF_FILTER is not set\n", v72).size(), 2u);
    EXPECT_TRUE(undefined_options(fragment, v72).empty());
}

TEST(NetdevsimConfig, KconfigSymbolsAreReadFromEveryKconfigFile) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    std::filesystem::create_directories(dir.path() / "net/netfilter");
    std::ofstream(dir.path() / "Kconfig") << "mainmenu \"Linux\"\nsource \"net/Kconfig\"\n"
                                             "config 64BIT\n\tbool\n";
    std::ofstream(dir.path() / "net/netfilter/Kconfig")
        << "menuconfig NETFILTER\n\tbool\nif NETFILTER\n"
           "\tconfig NETFILTER_XTABLES_LEGACY # indented, with a comment\n\tbool\n"
           "\thelp\n\t  Say Y here if you still require support for legacy tables.\nendif\n";
    std::ofstream(dir.path() / "net/netfilter/Makefile") << "config NOT_A_SYMBOL\n";
    std::ofstream(dir.path() / "net/netfilter/Kconfig.debug") << "config NF_DEBUG\n";
    EXPECT_EQ(kconfig_symbols(dir.path()),
              (std::set<std::string>{"CONFIG_64BIT", "CONFIG_NETFILTER",
                                     "CONFIG_NETFILTER_XTABLES_LEGACY", "CONFIG_NF_DEBUG"}));
}

TEST(NetdevsimBuild, MergesTheFragmentOntoTinyconfigThenCompilesBzImage) {
    const auto steps = netdevsim_build_steps("/c/src/linux-source-6.12", "/c/netdevsim.config", 2);
    ASSERT_EQ(steps.size(), 4u);
    using Argv = std::vector<std::string>;
    EXPECT_EQ(steps[0].argv, (Argv{"make", "-C", "/c/src/linux-source-6.12", "tinyconfig"}));
    EXPECT_EQ(steps[1].argv, (Argv{"/c/src/linux-source-6.12/scripts/kconfig/merge_config.sh", "-m",
                                   "-O", "/c/src/linux-source-6.12",
                                   "/c/src/linux-source-6.12/.config", "/c/netdevsim.config"}));
    EXPECT_EQ(steps[2].argv, (Argv{"make", "-C", "/c/src/linux-source-6.12", "olddefconfig"}));
    EXPECT_EQ(steps[3].argv, (Argv{"make", "-C", "/c/src/linux-source-6.12", "-j2", "bzImage"}));
    EXPECT_EQ(steps[3].what, "make bzImage");
}

TEST(NetdevsimBuild, RunsAtLeastOneJob) {
    EXPECT_EQ(netdevsim_build_steps("/s", "/f", 0).back().argv[3], "-j1");
    EXPECT_EQ(netdevsim_build_steps("/s", "/f", 8).back().argv[3], "-j8");
}

TEST(NetdevsimBuild, NoArgumentGoesThroughAShell) {
    // Every step is an argv for spawn(): the first word is a program, never "sh -c".
    for (const auto& step : netdevsim_build_steps("/s p a c e", "/f", 2)) {
        EXPECT_NE(step.argv.front(), "sh");
        EXPECT_NE(step.argv.front(), "/bin/sh");
        EXPECT_TRUE(std::ranges::any_of(step.argv, [](const std::string& a) {
            return a.starts_with("/s p a c e");
        })) << step.what;
    }
}

// What the archive's lists held on 2026-12-03: 5.10 to 7.2 in the series' suites.
const std::vector<std::string> kServedSources{"linux-source-5.10", "linux-source-6.1",
                                              "linux-source-6.12", "linux-source-7.2"};

TEST(NetdevsimBuildSeries, AcceptsServedSeriesWithLinkDeviceAndSid) {
    EXPECT_EQ(buildable_series(kServedSources), (std::vector<std::string>{"6.12", "7.2", "sid"}));
    // Order is the series', not the names' (6.9 < 6.12 < 7.2), and each series once.
    EXPECT_EQ(buildable_series({"linux-source-7.2", "linux-source-6.12", "linux-source-6.9",
                                "linux-source-6.12", "linux-source", "linux-source-7.2-rt",
                                "linux-source-6.8"}),
              (std::vector<std::string>{"6.9", "6.12", "7.2", "sid"}));
    EXPECT_EQ(source_series("linux-source-6.12"), "6.12");
    EXPECT_EQ(source_series("linux-source"), "");
    EXPECT_EQ(source_series("linux-source-7.2-rt"), "");
    EXPECT_EQ(source_series("linux-headers-7.2"), "");
}

TEST(NetdevsimBuildSeries, RefusesOtherSeriesListingTheAcceptedOnes) {
    const auto accepted = buildable_series(kServedSources);
    for (const char* ok : {"6.12", "7.2", "sid"})
        EXPECT_TRUE(check_build_series(ok, accepted)) << ok;
    for (const char* refused : {"6.1", "5.10", "7.3", "experimental", "6.9", ""}) {
        auto s = check_build_series(refused, accepted);
        ASSERT_FALSE(s) << refused;
        EXPECT_TRUE(s.error().unsupported()) << "the command exits 2 (usage) on it";
        const std::string m = s.error().message();
        EXPECT_NE(m.find(std::string("'") + refused + "'"), std::string::npos) << m;
        EXPECT_NE(m.find("6.12, 7.2, sid"), std::string::npos) << m;
        EXPECT_NE(m.find("link_device"), std::string::npos) << m;
    }
}

TEST(NetdevsimBuildSeries, EachSeriesHasItsOwnNameAndCacheEntry) {
    std::vector<std::string> keys;
    for (const auto& series : buildable_series(kServedSources)) {
        auto ref = parse_kernel_ref(built_kernel_name(series));
        ASSERT_TRUE(ref) << series;
        EXPECT_EQ(ref->series, series);
        keys.push_back(cache_key(*ref));
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"built-netdevsim", "built-netdevsim-7.2",
                                              "built-netdevsim-sid"}));
}

TEST(NetdevsimBuildSeries, TheUnpackedSourceMustHaveLinkDevice) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    const std::filesystem::path bus = dir.path() / "drivers/net/netdevsim/bus.c";
    EXPECT_FALSE(check_link_device(dir.path())) << "no bus.c";
    std::filesystem::create_directories(bus.parent_path());
    std::ofstream(bus) << "static BUS_ATTR_WO(new_device);\n";
    auto s = check_link_device(dir.path());
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message().find("no link_device"), std::string::npos);
    std::ofstream(bus) << "static BUS_ATTR_WO(link_device);\n";
    EXPECT_TRUE(check_link_device(dir.path()));
}

} // namespace
} // namespace hm
