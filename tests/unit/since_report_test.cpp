// reports/since_report.h: `hookmatrix report --since`, the since view for a terminal.
#include "reports/since_report.h"

#include "report_fixture.h"

#include <gtest/gtest.h>

namespace hm {
namespace {

TEST(SinceText, ListsKernelsInVersionOrderAndEachHooksSince) {
    const std::string text = since_text(test::kernels_run());
    EXPECT_NE(text.find("Kernels, in version order:\n"
                        "  K1 5.10.0-35-cloud-amd64 (debian:5.10, TCG)\n"
                        "  K2 6.1.0-40-cloud-amd64 (debian:6.1, TCG)\n"
                        "  K3 6.12.57+deb13-cloud-amd64 (debian:6.12, TCG)\n"
                        "  K4 6.18.0-hm (host)\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("  tcx-ingress -    -    ok   ok   since 6.12.57"), std::string::npos)
        << text;
    EXPECT_NE(text.find("  xdpdrv      ok   ok   ok   FAIL since 5.10.0-35-cloud-amd64 "
                        "(debian:5.10, TCG); LOST on 6.18.0-hm (host) (a regression in support)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("1 regression in support."), std::string::npos) << text;
}

TEST(SinceText, SaysWhyThereIsNothingToShowForOneKernel) {
    RunResult one = test::report_run();
    std::erase_if(one.cells, [](const CellResult& c) { return c.kernel != "6.1.0-18-amd64"; });
    one.choirs.clear();
    EXPECT_EQ(since_text(one).rfind("since: the results hold 1 kernel; a since view needs two", 0),
              0u)
        << since_text(one);
}

TEST(SinceText, KernelNamesFromAResultsFileCannotReachTheTerminalRaw) {
    RunResult r = test::kernels_run();
    r.cells.front().device = "veth\x1b]0;x\x07";
    const std::string text = since_text(r);
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
    EXPECT_EQ(text.find('\x07'), std::string::npos);
}

} // namespace
} // namespace hm
