// matrix/kernel_ref.h and runners/kernels/debian_archive.h: the names of the upcoming kernels
// (debian:sid, debian:experimental, debian:rc) and of built kernels of other series, their cache
// directories, and how the archive for each is set apart, checked without the network.
#include "matrix/kernel_ref.h"
#include "runners/kernels/debian_archive.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace hm {
namespace {

TEST(KernelRef, UpcomingSuitesParseWithTheirSuiteAndNoSeries) {
    struct Case {
        const char* text;
        const char* suite;
        const char* key;
    };
    for (const Case& c :
         {Case{.text = "debian:sid", .suite = "sid", .key = "debian-sid"},
          Case{
              .text = "debian:experimental", .suite = "experimental", .key = "debian-experimental"},
          Case{.text = "debian:rc", .suite = "experimental", .key = "debian-experimental"}}) {
        auto ref = parse_kernel_ref(c.text);
        ASSERT_TRUE(ref) << c.text << ": " << ref.error().message();
        EXPECT_EQ(ref->kind, KernelRef::Kind::Debian) << c.text;
        EXPECT_EQ(ref->suite, c.suite) << c.text;
        EXPECT_EQ(ref->series, "") << c.text << ": the series is known once the archive is read";
        EXPECT_EQ(ref->name, c.text) << "the cell's kernel stays as the user wrote it";
        EXPECT_EQ(cache_key(*ref), c.key) << c.text;
    }
}

TEST(KernelRef, SeriesKeepTheirCacheDirectoriesBesideTheSuites) {
    for (const char* series : {"5.10", "6.1", "6.12", "7.2", "7.3"}) {
        auto ref = parse_kernel_ref(std::string("debian:") + series);
        ASSERT_TRUE(ref) << series;
        EXPECT_EQ(ref->suite, "") << series;
        EXPECT_EQ(cache_key(*ref), std::string("debian-") + series);
    }
    for (const char* bad : {"debian:unstable", "debian:testing", "debian:forky", "debian:rc1",
                            "debian:SID", "debian:"})
        EXPECT_FALSE(parse_kernel_ref(bad)) << bad;
    const auto err = parse_kernel_ref("debian:unstable").error().message();
    EXPECT_NE(err.find("debian:sid"), std::string::npos) << err;
    EXPECT_NE(err.find("debian:experimental"), std::string::npos) << err;
}

TEST(KernelRef, BuiltNetdevsimIsThe612BuildAndOtherSeriesAreNamedApart) {
    struct Case {
        const char* text;
        const char* series;
        const char* key;
    };
    for (const Case& c :
         {Case{.text = "built:netdevsim", .series = "6.12", .key = "built-netdevsim"},
          Case{.text = "built:netdevsim-6.12", .series = "6.12", .key = "built-netdevsim"},
          Case{.text = "built:netdevsim-7.2", .series = "7.2", .key = "built-netdevsim-7.2"},
          Case{.text = "built:netdevsim-sid", .series = "sid", .key = "built-netdevsim-sid"}}) {
        auto ref = parse_kernel_ref(c.text);
        ASSERT_TRUE(ref) << c.text << ": " << ref.error().message();
        EXPECT_EQ(ref->kind, KernelRef::Kind::Built) << c.text;
        EXPECT_EQ(ref->series, c.series) << c.text;
        EXPECT_EQ(cache_key(*ref), c.key) << c.text;
    }
    EXPECT_EQ(built_kernel_name("6.12"), "built:netdevsim");
    EXPECT_EQ(built_kernel_name("7.2"), "built:netdevsim-7.2");
    EXPECT_EQ(built_kernel_name("sid"), "built:netdevsim-sid");
    for (const char* bad : {"built:netdevsim-", "built:netdevsim-7", "built:netdevsim-x.y",
                            "built:netdevsim-experimental", "built:netdevsim7.2"})
        EXPECT_FALSE(parse_kernel_ref(bad)) << bad;
    EXPECT_NE(parse_kernel_ref("built:other").error().message().find("built:netdevsim-SERIES"),
              std::string::npos);
}

TEST(DebianSuites, EachUpcomingSuiteIsReadAloneInItsOwnAptState) {
    EXPECT_EQ(DebianArchive::suite_lines("sid"),
              std::vector<std::string>{"deb http://deb.debian.org/debian sid main"});
    EXPECT_EQ(DebianArchive::suite_lines("experimental"),
              std::vector<std::string>{"deb http://deb.debian.org/debian experimental main"});
    // The series' suites stay as they were: sid's newer build of 7.2 (or experimental's 7.3
    // release candidate) never becomes what debian:7.2 or a debian:7.3 resolves to.
    for (const auto& line : DebianArchive::source_lines()) {
        EXPECT_EQ(line.find(" sid "), std::string::npos) << line;
        EXPECT_EQ(line.find(" experimental "), std::string::npos) << line;
        EXPECT_EQ(line.find(" unstable "), std::string::npos) << line;
    }
}

TEST(DebianDepends, PinsAreTheVersionsAnEqualsRelationNames) {
    using Pins = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(depends_pins("linux-base-cloud-amd64 (= 7.3~rc7-1~exp1), "
                           "linux-image-7.3-cloud-amd64 (= 7.3~rc7-1~exp1)"),
              (Pins{{"linux-base-cloud-amd64", "7.3~rc7-1~exp1"},
                    {"linux-image-7.3-cloud-amd64", "7.3~rc7-1~exp1"}}));
    EXPECT_EQ(depends_pins("dracut | initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool, "
                           "linux-binary-7.2.13+deb14-cloud-amd64 (= 7.2.13-1)"),
              (Pins{{"dracut", ""},
                    {"initramfs-tools", ""},
                    {"linux-initramfs-tool", ""},
                    {"linux-binary-7.2.13+deb14-cloud-amd64", "7.2.13-1"}}));
    EXPECT_TRUE(depends_pins("").empty());
}

TEST(DebianVersions, ReleaseCandidatesSortBeforeTheRelease) {
    EXPECT_LT(compare_debian_versions("7.3~rc7-1~exp1", "7.3.1-1"), 0);
    EXPECT_LT(compare_debian_versions("7.2.13-1", "7.3~rc7-1~exp1"), 0);
    EXPECT_LT(compare_debian_versions("7.2.12-1", "7.2.13-1"), 0);
}

} // namespace
} // namespace hm
