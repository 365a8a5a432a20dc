// Reports with a baseline (run/report --baseline): compat.md lists only the cells that changed,
// report.html adds a "Changes since baseline" section, both from the comparison `hookmatrix diff`
// makes, every string escaped, the `attached` verdict among the rest.
#include "matrix/compare/baseline.h"
#include "reports/diff_report.h"
#include "reports/escape.h"
#include "reports/html_reporter.h"
#include "reports/markdown_reporter.h"

#include "report_fixture.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace hm {
namespace {

using test::kNasty;
using test::report_cell;

constexpr const char* kKernel = "6.18.0";

std::vector<std::uint64_t> samples(std::uint64_t median) {
    std::vector<std::uint64_t> out;
    for (std::uint64_t i = 0; i < 60; ++i)
        out.push_back(median - 30 + i); // tight around the median: a 50% shift is significant
    return out;
}

RunResult run_of(std::vector<CellResult> cells) {
    RunResult r{.run = {.tool_version = "0.1.0", .host = "h", .kernel_release = kKernel}};
    r.cells = std::move(cells);
    return r;
}

// Five cells; in `now` three change: tc-ingress fails, tcx-ingress goes from attached to pass,
// xdpgeneric gets 50% slower. tc-egress and xdpdrv stay as they were.
RunResult base_run() {
    return run_of({
        report_cell("xdpgeneric", "veth", kKernel, Verdict::Pass, "ok", {}, samples(2'000)),
        report_cell("xdpdrv", "veth", kKernel, Verdict::Pass, "ok", {}, samples(3'000)),
        report_cell("tc-ingress", "veth", kKernel, Verdict::Pass, "ok", {}, samples(2'500)),
        report_cell("tc-egress", "veth", kKernel, Verdict::Unsupported, "no clsact"),
        report_cell("tcx-ingress", "veth", kKernel, Verdict::Attached,
                    "attached, but no packet reaches it " + kNasty),
    });
}

RunResult new_run() {
    return run_of({
        report_cell("xdpgeneric", "veth", kKernel, Verdict::Pass, "ok", {}, samples(3'000)),
        report_cell("xdpdrv", "veth", kKernel, Verdict::Pass, "ok", {}, samples(3'000)),
        report_cell("tc-ingress", "veth", kKernel, Verdict::Fail,
                    "fired for 3 of 4 packets " + kNasty),
        report_cell("tc-egress", "veth", kKernel, Verdict::Unsupported, "no clsact"),
        report_cell("tcx-ingress", "veth", kKernel, Verdict::Pass, "ok", {}, samples(2'000)),
    });
}

BaselineComparison compared(const RunResult& base, const RunResult& now) {
    auto c = compare_with_baseline(base, "base<1>.json", now, "new|2.json", CompareOptions{});
    EXPECT_TRUE(c) << c.error().message();
    return c ? *c : BaselineComparison{};
}

std::vector<std::string> table_rows(const std::string& md) {
    std::vector<std::string> rows;
    std::istringstream in(md);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with("| ") && !line.starts_with("| hook |") && !line.starts_with("| ---"))
            rows.push_back(line);
    return rows;
}

const std::string* row_of(const std::vector<std::string>& rows, const std::string& hook) {
    auto it = std::ranges::find_if(rows, [&](const std::string& r) {
        return r.starts_with("| " + markdown_escape(hook) + " |");
    });
    return it == rows.end() ? nullptr : &*it;
}

TEST(BaselineComparison, IsWhatDiffComputes) {
    const auto base = base_run(), now = new_run();
    const BaselineComparison c = compared(base, now);
    auto direct = compare_cells(base.cells, now.cells, true, CompareOptions{});
    ASSERT_TRUE(direct);
    EXPECT_EQ(summary_line(c.diff.summary), summary_line(direct->summary));
    EXPECT_EQ(summary_line(c.diff.summary), "2 regressions, 1 improvements, 2 unchanged");
    EXPECT_EQ(c.sides.base_source, "base<1>.json");
}

TEST(BaselineComparison, ABaselineFromAnotherKernelHasNoCellInCommon) {
    RunResult other = base_run();
    for (auto& c : other.cells)
        c.kernel = "6.1.0";
    auto c = compare_with_baseline(other, "old.json", new_run(), "new.json", CompareOptions{});
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().what.find("no cell in common"), std::string::npos) << c.error().what;
    EXPECT_NE(c.error().what.find("--kernels 6.1.0,6.18.0"), std::string::npos);
}

TEST(MarkdownWithBaseline, ListsOnlyTheCellsThatChanged) {
    const auto now = new_run();
    const auto c = compared(base_run(), now);
    const std::string md = markdown_report(now, &c);
    const auto rows = table_rows(md);
    ASSERT_EQ(rows.size(), 3u) << md;
    EXPECT_EQ(row_of(rows, "xdpdrv"), nullptr) << "unchanged";
    EXPECT_EQ(row_of(rows, "tc-egress"), nullptr) << "unchanged, though unsupported";

    const std::string* failed = row_of(rows, "tc-ingress");
    ASSERT_NE(failed, nullptr) << md;
    // No latency now, so no medians compared: the verdicts alone.
    EXPECT_NE(failed->find("| ✅ | ❌[^"), std::string::npos) << *failed;
    EXPECT_NE(failed->find("**regression**"), std::string::npos) << *failed;

    const std::string* attached = row_of(rows, "tcx-ingress");
    ASSERT_NE(attached, nullptr) << md;
    EXPECT_NE(attached->find("| 🔗 attached[^"), std::string::npos) << *attached;
    EXPECT_NE(attached->find("improvement (new-support)"), std::string::npos) << *attached;

    const std::string* slower = row_of(rows, "xdpgeneric");
    ASSERT_NE(slower, nullptr) << md;
    EXPECT_NE(slower->find("| ✅ 2.0 µs | ✅ 3.0 µs |"), std::string::npos) << *slower;
    EXPECT_NE(slower->find("**regression (slower)**: +50.0% (+1.00 us), p\\<1e-12 |"),
              std::string::npos)
        << *slower;

    EXPECT_NE(md.find("Legend: ✅ pass"), std::string::npos) << md;
    EXPECT_NE(md.find("🔗 attached (the kernel took it"), std::string::npos) << md;
    EXPECT_NE(md.find("2 regressions, 1 improvements, 2 unchanged"), std::string::npos) << md;
    EXPECT_NE(md.find("base\\<1\\>.json"), std::string::npos) << md;
    // A footnote per side that is not a pass: the failure now, the attachment before.
    EXPECT_NE(md.find("[^1]: tc-ingress on veth (6.18.0), now: fired for 3 of 4 packets"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("[^2]: tcx-ingress on veth (6.18.0), in the baseline: attached"),
              std::string::npos)
        << md;
    EXPECT_EQ(md.find("<script>"), std::string::npos) << "every string escaped";
    EXPECT_EQ(md.find("| a\x01"), std::string::npos);
}

TEST(MarkdownWithBaseline, SaysSoInOneLineWhenNothingChanged) {
    const auto now = new_run();
    const auto c = compared(now, now);
    const std::string md = markdown_report(now, &c);
    EXPECT_TRUE(table_rows(md).empty()) << md;
    EXPECT_NE(md.find("\nNo cell changed since the baseline (5 cells compared).\n"),
              std::string::npos)
        << md;
}

TEST(MarkdownWithBaseline, AddedAndRemovedCellsAreListedWithADash) {
    RunResult base = base_run(), now = base_run();
    base.cells.pop_back();              // tcx-ingress is new
    now.cells.erase(now.cells.begin()); // xdpgeneric is gone
    const auto c = compared(base, now);
    const auto rows = table_rows(markdown_report(now, &c));
    ASSERT_EQ(rows.size(), 2u);
    ASSERT_NE(row_of(rows, "tcx-ingress"), nullptr);
    EXPECT_NE(row_of(rows, "tcx-ingress")->find("| — | 🔗 attached[^1] | added |"),
              std::string::npos)
        << *row_of(rows, "tcx-ingress");
    ASSERT_NE(row_of(rows, "xdpgeneric"), nullptr);
    EXPECT_NE(row_of(rows, "xdpgeneric")->find("| ✅ | — | removed |"), std::string::npos)
        << *row_of(rows, "xdpgeneric");
}

TEST(MarkdownReporter, WritesTheChangesWhenGivenABaseline) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    const auto now = new_run();
    const auto c = compared(base_run(), now);
    auto reporter = make_markdown_reporter(dir.file("compat.md"));
    reporter->baseline(c);
    ASSERT_TRUE(reporter->end(now));
    EXPECT_EQ(test::read_file(dir.file("compat.md")), markdown_report(now, &c));
    EXPECT_NE(markdown_report(now, &c), markdown_report(now));
}

// The "Changes since baseline" section of report.html, as the page carries it.
std::string section(const std::string& html) {
    const auto start = html.find("<section class=\"baseline\"");
    if (start == std::string::npos)
        return {};
    return html.substr(start, html.find("</section>", start) - start);
}

TEST(HtmlWithBaseline, AddsAChangesSectionBelowTheRestWithARowPerChangedCell) {
    const auto now = new_run();
    const auto c = compared(base_run(), now);
    const std::string html = html_report(now, &c);
    const std::string s = section(html);
    ASSERT_FALSE(s.empty());
    EXPECT_LT(html.find("class=\"compat\""), html.find("<section class=\"baseline\""));
    EXPECT_NE(s.find("data-changes=\"3\" data-regressions=\"2\""), std::string::npos) << s;
    const std::regex row(R"re(<tr class="(\w+)"><th class="hook">([^<]*)</th>)re");
    std::vector<std::pair<std::string, std::string>> rows;
    for (std::sregex_iterator it(s.begin(), s.end(), row), end; it != end; ++it)
        rows.emplace_back((*it)[2], (*it)[1]);
    const std::vector<std::pair<std::string, std::string>> want = {
        {"xdpgeneric", "regression"}, {"tc-ingress", "regression"}, {"tcx-ingress", "improvement"}};
    EXPECT_EQ(rows, want) << s;
    EXPECT_NE(s.find("<span class=\"attached\">attached</span> → <span class=\"pass\">pass</span>"),
              std::string::npos)
        << s;
    EXPECT_NE(s.find("2.0 µs → 3.0 µs"), std::string::npos) << s;
    EXPECT_NE(s.find("<code>base&lt;1&gt;.json</code>"), std::string::npos) << s;
    EXPECT_NE(s.find("&lt;script&gt;alert(&#39;x&#39;)"), std::string::npos) << s;
    EXPECT_EQ(s.find("<script>"), std::string::npos) << "every string escaped";
    EXPECT_EQ(s.find("\xff"), std::string::npos);
}

TEST(HtmlWithBaseline, SaysSoWhenNothingChangedAndHasNoSectionWithoutABaseline) {
    const auto now = new_run();
    const auto same = compared(now, now);
    const std::string s = section(html_report(now, &same));
    EXPECT_NE(s.find("data-changes=\"0\""), std::string::npos) << s;
    EXPECT_NE(s.find("No cell changed since the baseline."), std::string::npos) << s;
    EXPECT_EQ(s.find("<table"), std::string::npos) << s;
    EXPECT_TRUE(section(html_report(now)).empty());
    EXPECT_EQ(html_report(now).find("@@BASELINE@@"), std::string::npos) << "the slot is filled";
}

} // namespace
} // namespace hm
