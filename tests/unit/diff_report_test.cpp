// reports/diff_report.h: a Diff as a terminal table, JSON hookmatrix-diff/2 and Markdown.
#include "reports/diff_report.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hm {
namespace {

Diff sample_diff() {
    std::vector<std::uint64_t> base, slow;
    for (std::uint64_t i = 0; i < 50; ++i) {
        base.push_back(2400 + i);
        slow.push_back(3 * (2400 + i));
    }
    std::vector<CellResult> a{
        {.hook = "tc-ingress", .device = "veth", .kernel = "6.1", .verdict = Verdict::Pass,
         .reason = "ok", .samples_ns = base},
        {.hook = "tc-egress", .device = "veth", .kernel = "6.1", .verdict = Verdict::Pass,
         .reason = "ok", .samples_ns = base},
        {.hook = "xt-bpf-input", .device = "veth", .kernel = "6.1", .verdict = Verdict::Pass,
         .reason = "ok"}};
    std::vector<CellResult> b = a;
    b[1].samples_ns = slow;
    b[2].verdict = Verdict::Fail;
    b[2].reason = "fired for 7 of 10 packets";
    return *compare_cells(a, b, true, {});
}

const DiffSides kSides{.base_source = "base.json", .new_source = "new.json"};

TEST(DiffReport, TextListsOnlyChangedCellsThenTheSummary) {
    const std::string text = diff_to_text(sample_diff(), kSides);
    EXPECT_EQ(text.find("tc-ingress"), std::string::npos) << text;
    EXPECT_NE(text.find("tc-egress"), std::string::npos) << text;
    EXPECT_NE(text.find("+200.0%"), std::string::npos) << text;
    EXPECT_NE(text.find("pass -> fail"), std::string::npos) << text;
    EXPECT_NE(text.find("now: fired for 7 of 10 packets"), std::string::npos) << text;
    EXPECT_NE(text.find("2 regressions, 0 improvements, 1 unchanged"), std::string::npos) << text;
}

TEST(DiffReport, JsonHasSchemaSummaryAndEveryCell) {
    const auto doc = diff_to_json(sample_diff(), kSides);
    EXPECT_EQ(doc.begin().key(), "schema");
    EXPECT_EQ(doc["schema"], "hookmatrix-diff/2");
    EXPECT_EQ(doc["base"]["source"], "base.json");
    EXPECT_EQ(doc["summary"]["regressions"], 2);
    EXPECT_EQ(doc["regression"], true);
    ASSERT_EQ(doc["cells"].size(), 3u);
    EXPECT_EQ(doc["cells"][0]["change"], "unchanged");
    EXPECT_EQ(doc["cells"][1]["latency"]["trend"], "slower");
    EXPECT_EQ(doc["cells"][2]["verdict_change"], "regression");
    EXPECT_FALSE(doc["cells"][2].contains("latency"));
}

TEST(DiffReport, MarkdownIsATableOfTheChangedCells) {
    const std::string md = diff_to_markdown(sample_diff(), kSides);
    EXPECT_NE(md.find("| hook | device | kernel | verdict |"), std::string::npos) << md;
    EXPECT_NE(md.find("| tc-egress | veth | 6.1 |"), std::string::npos) << md;
    EXPECT_EQ(md.find("tc-ingress"), std::string::npos) << md;
    EXPECT_NE(md.find("2 regressions, 0 improvements, 1 unchanged"), std::string::npos) << md;
}

// Names and reasons come from results files anyone may hand us: a hook named with a backtick and a
// bar must not split the Markdown table, and an escape sequence in a reason must not reach the
// terminal.
TEST(DiffReport, NamesAndReasonsFromTheFilesCannotBreakTheTableOrTheTerminal) {
    std::vector<CellResult> a{{.hook = "x`|y", .device = "veth", .kernel = "6.1",
                               .verdict = Verdict::Pass, .reason = "ok"}};
    std::vector<CellResult> b = a;
    b[0].verdict = Verdict::Fail;
    b[0].reason = "bad \x1b[2J\x1b]0;pwned\x07 end";
    const Diff diff = *compare_cells(a, b, true, {});
    const std::string md = diff_to_markdown(diff, kSides);
    EXPECT_NE(md.find("| x\\`\\|y | veth |"), std::string::npos) << md;
    const std::string text = diff_to_text(diff, kSides);
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    EXPECT_EQ(text.find('\x07'), std::string::npos) << text;
    EXPECT_NE(text.find("bad \uFFFD[2J"), std::string::npos) << text;
}

TEST(DiffReport, SummaryNamesOtherCountsOnlyWhenNotZero) {
    EXPECT_EQ(summary_line({.unchanged = 3}), "0 regressions, 0 improvements, 3 unchanged");
    EXPECT_EQ(summary_line({.regressions = 1, .added = 2}),
              "1 regressions, 0 improvements, 0 unchanged, 2 added");
}

} // namespace
} // namespace hm
