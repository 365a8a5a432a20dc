// matrix/results/kernel_axis.h: kernels in version order, the host where its version falls.
#include "matrix/results/kernel_axis.h"

#include <gtest/gtest.h>

namespace hm {
namespace {

CellResult cell(std::string kernel) {
    return CellResult{.hook = "tc-ingress", .device = "veth", .kernel = std::move(kernel)};
}

std::vector<std::string> keys(const KernelAxis& axis) {
    std::vector<std::string> out;
    for (const auto& k : axis.kernels())
        out.push_back(k.key);
    return out;
}

TEST(KernelVersion, ReadsReleasesNamesAndReleaseCandidates) {
    struct Case {
        const char* text;
        std::optional<KernelVersion> want;
    };
    const Case cases[] = {
        {"6.12.57+deb13-cloud-amd64", KernelVersion{6, 12, 57}},
        {"5.10.0-35-cloud-amd64", KernelVersion{5, 10, 0}},
        {"6.18.0", KernelVersion{6, 18, 0}},
        {"7.3-rc5-cloud-amd64", KernelVersion{7, 3, 0, 5}},
        {"7.3.0-rc2", KernelVersion{7, 3, 0, 2}},
        {"debian:6.1", KernelVersion{6, 1, 0}},
        {"debian:experimental", std::nullopt},
        {"host", std::nullopt},
        {"", std::nullopt},
        {"6", std::nullopt},
        {"6.x", std::nullopt},
        {"-1.2", std::nullopt},
    };
    for (const auto& c : cases)
        EXPECT_EQ(parse_kernel_version(c.text), c.want) << c.text;
}

TEST(KernelVersion, OrdersNumericallyAndAReleaseCandidateBeforeItsRelease) {
    EXPECT_LT(*parse_kernel_version("6.9.0"), *parse_kernel_version("6.12.0"));
    EXPECT_LT(*parse_kernel_version("6.1.158"), *parse_kernel_version("6.12.1"));
    EXPECT_LT(*parse_kernel_version("7.2.9"), *parse_kernel_version("7.3-rc5"));
    EXPECT_LT(*parse_kernel_version("7.3-rc5"), *parse_kernel_version("7.3-rc6"));
    EXPECT_LT(*parse_kernel_version("7.3-rc6"), *parse_kernel_version("7.3.0"));
}

TEST(KernelAxis, PutsKernelsInVersionOrderWithTheHostWhereItsVersionFalls) {
    RunResult r;
    r.run.kernel_release = "6.18.0-hm";
    // The order guests finished in, as a run writes them.
    r.run.kernel_runs = {{.name = "host", .release = "6.18.0-hm", .how = "host"},
                         {.name = "debian:6.1", .release = "6.1.0-40-cloud-amd64", .how = "tcg"},
                         {.name = "debian:5.10", .release = "5.10.0-35-cloud-amd64", .how = "tcg"},
                         {.name = "debian:experimental", .release = "7.3-rc5-cloud-amd64",
                          .how = "kvm"},
                         {.name = "debian:6.12", .release = "6.12.57+deb13-cloud-amd64",
                          .how = "tcg"}};
    for (const auto& k : r.run.kernel_runs)
        r.cells.push_back(cell(k.release));
    const KernelAxis axis(r);
    EXPECT_EQ(keys(axis), (std::vector<std::string>{"5.10.0-35-cloud-amd64", "6.1.0-40-cloud-amd64",
                                                    "6.12.57+deb13-cloud-amd64", "6.18.0-hm",
                                                    "7.3-rc5-cloud-amd64"}));
    EXPECT_TRUE(axis.of("6.18.0-hm").host());
    EXPECT_EQ(axis.of("6.18.0-hm").label(), "6.18.0-hm (host)");
    EXPECT_TRUE(axis.of("5.10.0-35-cloud-amd64").emulated());
    EXPECT_EQ(axis.of("5.10.0-35-cloud-amd64").label(), "5.10.0-35-cloud-amd64 (debian:5.10, TCG)");
    EXPECT_EQ(axis.of("5.10.0-35-cloud-amd64").latency_mark(), " (TCG)");
    EXPECT_EQ(axis.of("7.3-rc5-cloud-amd64").latency_mark(), "");
    EXPECT_TRUE(axis.any_emulated());
    EXPECT_EQ(axis.rank("6.18.0-hm"), 3u);
    EXPECT_EQ(axis.rank("not a kernel"), 5u);

    sort_kernel_runs(r.run.kernel_runs);
    std::vector<std::string> names;
    for (const auto& k : r.run.kernel_runs)
        names.push_back(k.name);
    EXPECT_EQ(names, (std::vector<std::string>{"debian:5.10", "debian:6.1", "debian:6.12", "host",
                                               "debian:experimental"}));
}

TEST(KernelAxis, AGuestThatNeverSaidItsReleaseGoesByItsNameOrLast) {
    RunResult r;
    r.run.kernel_release = "6.18.0";
    r.run.kernel_runs = {{.name = "debian:experimental", .how = "tcg", .error = "no boot"},
                         {.name = "debian:6.1", .how = "tcg", .error = "no boot"},
                         {.name = "host", .release = "6.18.0", .how = "host"}};
    r.cells = {cell("debian:experimental"), cell("debian:6.1"), cell("6.18.0")};
    const KernelAxis axis(r);
    EXPECT_EQ(keys(axis),
              (std::vector<std::string>{"debian:6.1", "6.18.0", "debian:experimental"}));
    EXPECT_EQ(axis.of("debian:6.1").label(), "debian:6.1 (TCG)");
}

TEST(KernelAxis, ResultsWithoutKernelRunsStillKnowTheHost) {
    RunResult r;
    r.run.kernel_release = "6.1.0-18-amd64";
    r.cells = {cell("6.6.0"), cell("6.1.0-18-amd64")};
    const KernelAxis axis(r);
    EXPECT_EQ(keys(axis), (std::vector<std::string>{"6.1.0-18-amd64", "6.6.0"}));
    EXPECT_TRUE(axis.of("6.1.0-18-amd64").host());
    EXPECT_FALSE(axis.of("6.6.0").host());
    EXPECT_FALSE(axis.any_emulated());
}

} // namespace
} // namespace hm
