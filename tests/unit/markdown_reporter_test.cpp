// reports/markdown_reporter.h: compat.md, the compatibility table for a pull request comment.
#include "reports/markdown_reporter.h"

#include "reports/escape.h"
#include "report_fixture.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace hm {
namespace {

using test::report_run;

TEST(MarkdownEscape, KeepsTableCellsAndInlineMarkupIntact) {
    const std::pair<std::string, std::string> cases[] = {
        {"plain text 6.1.0-18", "plain text 6.1.0-18"},
        {"a | b", "a \\| b"},
        {"*x* _y_ `z`", "\\*x\\* \\_y\\_ \\`z\\`"},
        {"[l](u) ![i]", "\\[l\\](u) !\\[i\\]"},
        {"<b>&amp;", "\\<b\\>\\&amp;"},
        {"back\\slash ~s~ $m$", "back\\\\slash \\~s\\~ \\$m\\$"},
        {"two\nlines\r\tx", "two lines  x"},
        {std::string("c\x01" "d"), "c\uFFFDd"},
        {"\xc3(", "\uFFFD("},
        {"µs ✅", "µs ✅"},
    };
    for (const auto& [in, out] : cases)
        EXPECT_EQ(markdown_escape(in), out) << in;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// The table: the lines from the header row to the first blank one.
std::vector<std::string> table(const std::string& md) {
    std::vector<std::string> out;
    bool in = false;
    for (const auto& l : lines(md)) {
        if (l.starts_with("| hook |"))
            in = true;
        if (in && l.empty())
            break;
        if (in)
            out.push_back(l);
    }
    return out;
}

// Cells of a table row, split on unescaped pipes.
std::vector<std::string> cells(const std::string& row) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i] == '\\' && i + 1 < row.size()) {
            cur += row.substr(i, 2);
            ++i;
        } else if (row[i] == '|') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += row[i];
        }
    }
    // Drop what precedes the first pipe and follows the last.
    if (!out.empty())
        out.erase(out.begin());
    for (auto& c : out) {
        c.erase(0, c.find_first_not_of(' '));
        c.erase(c.find_last_not_of(' ') + 1);
    }
    return out;
}

TEST(MarkdownReport, HasARowPerHookAndAColumnPerKernelAndDevice) {
    const auto t = table(markdown_report(report_run()));
    ASSERT_EQ(t.size(), 2u + 5u) << markdown_report(report_run()); // header, rule, 5 hooks
    EXPECT_EQ(cells(t[0]), (std::vector<std::string>{"hook", "veth<br>6.1.0-18-amd64 (host)",
                                                     "lo<br>6.1.0-18-amd64 (host)", "veth<br>6.6.0"}));
    EXPECT_EQ(cells(t[1]), (std::vector<std::string>{"---", "---", "---", "---"}));
    for (std::size_t i = 2; i < t.size(); ++i)
        EXPECT_EQ(cells(t[i]).size(), 4u) << t[i];
    EXPECT_EQ(cells(t[2]), (std::vector<std::string>{"xdpgeneric", "✅ 2.5 µs", "✅ 1.2 µs",
                                                     "✅ 3.0 µs"}));
}

TEST(MarkdownReport, MarksEachVerdictAndFootnotesEveryReasonThatIsNotAPass) {
    const std::string md = markdown_report(report_run());
    const auto t = table(md);
    ASSERT_GE(t.size(), 7u);
    EXPECT_EQ(cells(t[3])[1], "❌[^1]");
    EXPECT_EQ(cells(t[4])[1], "⚠️ error[^2]");
    EXPECT_EQ(cells(t[5])[1], "➖ unsupported[^3]");
    EXPECT_EQ(cells(t[3])[2], ""); // tc-ingress did not run on lo
    const auto all = lines(md);
    auto note = [&](int n) {
        for (const auto& l : all)
            if (l.starts_with("[^" + std::to_string(n) + "]: "))
                return l;
        return std::string();
    };
    EXPECT_TRUE(note(1).starts_with("[^1]: tc-ingress on veth (6.1.0-18-amd64 (host)): fired for 3 of "
                                    "4 packets \\| lost \\<script\\>"))
        << note(1);
    EXPECT_EQ(note(2), "[^2]: xdpdrv on veth (6.1.0-18-amd64 (host)): load probe: Permission denied");
    EXPECT_FALSE(note(3).empty());
    EXPECT_FALSE(note(4).empty()); // the choir's failing voice
    EXPECT_TRUE(note(5).empty());
    EXPECT_NE(md.find("Legend: ✅ pass"), std::string::npos);
}

TEST(MarkdownReport, NastyStringsCannotBreakTheTableOrInjectMarkup) {
    const std::string md = markdown_report(report_run());
    EXPECT_EQ(md.find("<script>"), std::string::npos);
    EXPECT_NE(md.find("\\*bold\\* \\[link\\](http://x) \\`code\\`"), std::string::npos) << md;
    EXPECT_EQ(md.find('\x01'), std::string::npos);
    const auto t = table(md);
    ASSERT_EQ(t.size(), 7u);
    EXPECT_TRUE(cells(t[6])[0].starts_with("hook\\|\\<script\\>")) << t[6];
}

TEST(MarkdownReport, ShowsEachChoirAsAnArrowChain) {
    const std::string md = markdown_report(report_run());
    EXPECT_NE(md.find("### veth (6.1.0-18-amd64)\n\nxdpgeneric → tc-ingress\n\nThe same order "
                      "for 3 of 4 packets."),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("- packet 2: tc-ingress → xdpgeneric"), std::string::npos);
    EXPECT_NE(md.find("- tcx-ingress left out: no tcx \\<here\\>"), std::string::npos);
    EXPECT_NE(md.find("➖ unsupported: no netdevsim module"), std::string::npos);
}

TEST(MarkdownReport, OneKernelNeedsNoKernelInTheColumnHeads) {
    RunResult run = report_run();
    std::erase_if(run.cells, [](const CellResult& c) { return c.kernel != "6.1.0-18-amd64"; });
    const auto t = table(markdown_report(run));
    ASSERT_FALSE(t.empty());
    EXPECT_EQ(t[0], "| hook | veth | lo |");
}

TEST(MarkdownReporter, WritesTheFileWhenTheRunEnds) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    auto reporter = make_markdown_reporter(dir.file("compat.md"));
    const RunResult run = report_run();
    ASSERT_TRUE(reporter->end(run));
    EXPECT_EQ(test::read_file(dir.file("compat.md")), markdown_report(run));
}

} // namespace
} // namespace hm

namespace hm {
namespace {

TEST(MarkdownReport, AcrossKernelsPutsKernelsInVersionOrderAndMarksHostAndTcg) {
    const std::string md = markdown_report(test::kernels_run());
    const auto t = table(md);
    ASSERT_FALSE(t.empty()) << md;
    const auto head = cells(t[0]);
    ASSERT_GE(head.size(), 5u);
    EXPECT_EQ(head[1], "veth<br>5.10.0-35-cloud-amd64 (debian:5.10, TCG)");
    EXPECT_TRUE(head[head.size() - 1].ends_with("6.18.0-hm (host)")) << t[0];
    // The host's latency bare, a TCG guest's marked.
    EXPECT_EQ(cells(t[2])[1], "✅ 13.6 µs (TCG)") << t[2];
    EXPECT_EQ(cells(t[2]).back(), "") << t[2]; // tc-ingress did not run on netdevsim
    EXPECT_NE(md.find("✅ 2.8 µs |"), std::string::npos) << md;
    EXPECT_NE(md.find("(TCG): measured in a guest"), std::string::npos);
    EXPECT_NE(md.find("kernels 5.10.0-35-cloud-amd64 (debian:5.10, TCG), 6.1.0-40"),
              std::string::npos)
        << md.substr(0, 400);
}

TEST(MarkdownReport, GroupsFootnotesOnePerReasonWithWhereItApplies) {
    const std::string md = markdown_report(test::kernels_run());
    std::vector<std::string> notes;
    for (const auto& l : lines(md))
        if (l.starts_with("[^"))
            notes.push_back(l);
    // no tcx before 6.6, fired for 0 of 2, kernel has no netdevsim: three reasons, 8 cells.
    ASSERT_EQ(notes.size(), 3u) << md;
    const auto netdevsim = std::ranges::find_if(
        notes, [](const std::string& n) { return n.find("no netdevsim") != std::string::npos; });
    ASSERT_NE(netdevsim, notes.end());
    EXPECT_NE(netdevsim->find("(4 places: xdpdrv on netdevsim (5.10.0-35-cloud-amd64 "
                              "(debian:5.10, TCG)); xdpdrv on netdevsim (6.1.0-40"),
              std::string::npos)
        << *netdevsim;
    const std::string mark = netdevsim->substr(0, netdevsim->find(':'));
    std::size_t uses = 0;
    for (std::size_t at = md.find(mark + " "); at != std::string::npos;
         at = md.find(mark + " ", at + 1))
        ++uses;
    EXPECT_EQ(uses, 4u) << md; // every cell it applies to points at the one note
}

TEST(MarkdownReport, HasASinceViewPerDeviceWithALossFlagged) {
    const std::string md = markdown_report(test::kernels_run());
    const auto at = md.find("## Since which kernel");
    ASSERT_NE(at, std::string::npos) << md;
    const std::string since = md.substr(at);
    EXPECT_NE(since.find("| tcx-ingress | ➖ | ➖ | ✅ | ✅ | since 6.12.57+deb13-cloud-amd64 "
                         "(debian:6.12, TCG) (not on 6.1.0-40-cloud-amd64 (debian:6.1, TCG)) |"),
              std::string::npos)
        << since;
    EXPECT_NE(since.find("| xdpdrv | ✅ | ✅ | ✅ | ❌ | **since 5.10.0-35-cloud-amd64 "
                         "(debian:5.10, TCG); LOST on 6.18.0-hm (host) (a regression in "
                         "support)** |"),
              std::string::npos)
        << since;
    RunResult one = report_run();
    std::erase_if(one.cells, [](const CellResult& c) { return c.kernel != "6.1.0-18-amd64"; });
    EXPECT_EQ(markdown_report(one).find("## Since"), std::string::npos);
}

} // namespace
} // namespace hm
