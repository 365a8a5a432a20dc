// matrix/results/expectations.h (`--expect FILE`): the file's format and its mistakes, which
// entry a cell matches, the outcome of a mark (met, fixed, unmet), and what results.json, JUnit,
// the console, Markdown, HTML and diff make of it.
#include "matrix/compare/compare.h"
#include "matrix/results/expectations.h"
#include "matrix/results/results_json.h"
#include "reports/console_reporter.h"
#include "reports/diff_report.h"
#include "reports/html_reporter.h"
#include "reports/junit_reporter.h"
#include "reports/markdown_reporter.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace hm {
namespace {

using Outcome = CellResult::Expected::Outcome;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

CellResult cell(std::string hook, std::string device, std::string kernel, Verdict v,
                std::string reason = "why") {
    return {.hook = std::move(hook),
            .device = std::move(device),
            .kernel = std::move(kernel),
            .verdict = v,
            .reason = std::move(reason)};
}

Expectations parsed(const std::string& text) {
    auto e = parse_expectations(text, "known.yaml");
    EXPECT_TRUE(e) << e.error().message();
    return e ? *e : Expectations{};
}

const std::string kFile = R"(# known outcomes of the nightly matrix
- hook: xdpoffload
  reason: needs a NIC that offloads XDP
  verdict: unsupported
- hook: tc-*
  device: veth
  kernel: debian:6.1
  verdict: fail
  reason: https://example.org/issues/7
- hook: tc-ingress
  kernel: "5.10.*"
  verdict: error
  reason: clsact missing in that config
)";

// ---- parsing ----------------------------------------------------------------------------------

TEST(ExpectationsParse, AGoodFileGivesItsEntriesInOrder) {
    const Expectations e = parsed(kFile);
    EXPECT_EQ(e.source, "known.yaml");
    ASSERT_EQ(e.entries.size(), 3u);
    EXPECT_EQ(e.entries[0].hook, "xdpoffload");
    EXPECT_EQ(e.entries[0].device, ""); // left out: any
    EXPECT_EQ(e.entries[0].kernel, "");
    EXPECT_EQ(e.entries[0].expected.verdict, Verdict::Unsupported);
    EXPECT_EQ(e.entries[0].expected.reason, "needs a NIC that offloads XDP");
    EXPECT_EQ(e.entries[1].hook, "tc-*");
    EXPECT_EQ(e.entries[1].device, "veth");
    EXPECT_EQ(e.entries[1].kernel, "debian:6.1");
    EXPECT_EQ(e.entries[1].expected.verdict, Verdict::Fail);
    EXPECT_EQ(e.entries[1].expected.reason, "https://example.org/issues/7");
    EXPECT_EQ(e.entries[2].kernel, "5.10.*");
    EXPECT_EQ(e.entries[2].expected.verdict, Verdict::Error);
}

TEST(ExpectationsParse, AnEmptyFileExpectsNothing) {
    EXPECT_TRUE(parsed("").entries.empty());
    EXPECT_TRUE(parsed("# nothing known yet\n").entries.empty());
    EXPECT_TRUE(parsed("[]").entries.empty());
}

struct BadFile {
    const char* what;
    std::string text;
    std::string says; // the whole message
};

TEST(ExpectationsParse, EveryMistakeNamesTheFileTheEntryAndTheLine) {
    const std::string ok = "- hook: tc-ingress\n  verdict: fail\n  reason: known\n";
    for (const BadFile& b : {
             BadFile{.what = "pass expected",
                     .text = ok + "- hook: xdpdrv\n  verdict: pass\n  reason: x\n",
                     .says = "known.yaml: [1].verdict (line 5): 'pass' cannot be expected: a "
                             "passing cell needs no entry (expect fail, error, unsupported or "
                             "attached)"},
             BadFile{.what = "unknown key",
                     .text = ok + "- hook: xdpdrv\n  verdict: fail\n  reason: x\n  kernal: 6.1\n",
                     .says = "known.yaml: [1].kernal (line 7): unknown key (known: hook, device, "
                             "kernel, verdict, reason)"},
             BadFile{.what = "hook matching nothing",
                     .text = ok + "- hook: tc-ingres\n  verdict: fail\n  reason: x\n",
                     .says = "known.yaml: [1].hook (line 4): 'tc-ingres' matches no hook "
                             "('hookmatrix list' shows them)"},
             BadFile{.what = "device matching nothing",
                     .text = "- device: vath\n  verdict: fail\n  reason: x\n",
                     .says = "known.yaml: [0].device (line 1): 'vath' matches no device "
                             "('hookmatrix list' shows them)"},
             BadFile{.what = "no reason",
                     .text = ok + ok + "- hook: xdp\n  verdict: fail\n",
                     .says = "known.yaml: [2].reason (line 7): missing: say why this outcome is "
                             "expected, or link the issue"},
             BadFile{.what = "no verdict",
                     .text = "- hook: xdp\n  reason: x\n",
                     .says = "known.yaml: [0].verdict (line 1): missing: one of fail, error, "
                             "unsupported, attached"},
             BadFile{.what = "a verdict that is none",
                     .text = "- hook: xdp\n  verdict: flaky\n  reason: x\n",
                     .says = "known.yaml: [0].verdict (line 2): expected one of fail, error, "
                             "unsupported, attached"},
             BadFile{.what = "an entry that is no mapping",
                     .text = ok + "- tc-ingress\n",
                     .says = "known.yaml: [1] (line 4): expected a mapping of hook, device, "
                             "kernel, verdict, reason"},
             BadFile{.what = "not a list",
                     .text = "hook: tc-ingress\nverdict: fail\n",
                     .says = "known.yaml: top level (line 1): expected a list of {hook, device, "
                             "kernel, verdict, reason} entries"},
         }) {
        SCOPED_TRACE(b.what);
        auto e = parse_expectations(b.text, "known.yaml");
        ASSERT_FALSE(e);
        EXPECT_EQ(e.error().message(), b.says);
    }
}

TEST(ExpectationsParse, NotYamlNamesTheFileAndLine) {
    auto e = parse_expectations("- hook: [tc-ingress\n  verdict: fail\n", "known.yaml");
    ASSERT_FALSE(e);
    EXPECT_TRUE(contains(e.error().message(), "known.yaml: line ")) << e.error().message();
}

TEST(ExpectationsParse, AMissingFileIsAnErrorNamingIt) {
    auto e = load_expectations("/nonexistent/known.yaml");
    ASSERT_FALSE(e);
    EXPECT_TRUE(contains(e.error().message(), "/nonexistent/known.yaml")) << e.error().message();
}

TEST(ExpectationsParse, TheProjectsOwnFileParses) {
    auto e = load_expectations(HOOKMATRIX_TEST_DATA "/../../ci/expectations.yaml");
    ASSERT_TRUE(e) << e.error().message();
    EXPECT_FALSE(e->entries.empty());
}

// ---- matching ---------------------------------------------------------------------------------

TEST(ExpectationsMatch, HookDeviceAndKernelAreGlobs) {
    const Expectations e = parsed(R"(
- hook: tc-*
  device: v*
  kernel: "6.1.*"
  verdict: fail
  reason: a
)");
    const std::vector<KernelRun> none;
    EXPECT_TRUE(e.match(cell("tc-ingress", "veth", "6.1.0-18-amd64", Verdict::Fail), none));
    EXPECT_TRUE(e.match(cell("tc-egress", "veth", "6.1.0-18-amd64", Verdict::Fail), none));
    EXPECT_FALSE(e.match(cell("tcx-ingress", "veth", "6.1.0-18-amd64", Verdict::Fail), none));
    EXPECT_FALSE(e.match(cell("tc-ingress", "lo", "6.1.0-18-amd64", Verdict::Fail), none));
    EXPECT_FALSE(e.match(cell("tc-ingress", "veth", "6.6.13-amd64", Verdict::Fail), none));
}

TEST(ExpectationsMatch, ALeftOutKeyMatchesAnything) {
    const Expectations e = parsed("- verdict: fail\n  reason: everything fails\n");
    EXPECT_TRUE(e.match(cell("xdp", "tap", "6.18.44", Verdict::Fail), {}));
    EXPECT_TRUE(e.match(cell("cgroup-skb-egress", "lo", "5.10.0", Verdict::Pass), {}));
}

TEST(ExpectationsMatch, KernelMatchesTheNameTheRunGaveIt) {
    const Expectations e = parsed(R"(
- kernel: debian:6.1
  verdict: fail
  reason: a
- kernel: host
  verdict: error
  reason: b
)");
    const std::vector<KernelRun> kernels{
        {.name = "host", .release = "6.18.44-fc", .how = "host"},
        {.name = "debian:6.1", .release = "6.1.0-18-amd64", .how = "kvm"},
    };
    const ExpectEntry* debian = e.match(cell("xdp", "veth", "6.1.0-18-amd64", Verdict::Fail),
                                        kernels);
    ASSERT_TRUE(debian);
    EXPECT_EQ(debian->expected.reason, "a");
    const ExpectEntry* host = e.match(cell("xdp", "veth", "6.18.44-fc", Verdict::Fail), kernels);
    ASSERT_TRUE(host);
    EXPECT_EQ(host->expected.reason, "b");
    // Without the run's names, only releases match.
    EXPECT_FALSE(e.match(cell("xdp", "veth", "6.1.0-18-amd64", Verdict::Fail), {}));
    // A name does not lend itself to another kernel's release.
    EXPECT_FALSE(e.match(cell("xdp", "veth", "6.6.0", Verdict::Fail), kernels));
}

TEST(ExpectationsMatch, TheFirstMatchingEntryWins) {
    const Expectations e = parsed(R"(
- hook: tc-ingress
  device: veth
  verdict: unsupported
  reason: first
- hook: tc-*
  verdict: fail
  reason: second
)");
    const ExpectEntry* m = e.match(cell("tc-ingress", "veth", "6.1", Verdict::Fail), {});
    ASSERT_TRUE(m);
    EXPECT_EQ(m->expected.reason, "first");
    m = e.match(cell("tc-ingress", "lo", "6.1", Verdict::Fail), {});
    ASSERT_TRUE(m);
    EXPECT_EQ(m->expected.reason, "second");
}

TEST(ExpectationsMatch, MarkingARunReplacesAndClearsTheFilesOwnMarks) {
    RunResult run;
    run.run.kernel_runs = {{.name = "debian:6.1", .release = "6.1.0-18-amd64", .how = "tcg"}};
    run.cells = {cell("tc-ingress", "veth", "6.1.0-18-amd64", Verdict::Fail),
                 cell("xdp", "veth", "6.1.0-18-amd64", Verdict::Fail)};
    run.cells[1].expected = CellResult::Expected{.verdict = Verdict::Fail, .reason = "old"};
    mark_expected(run, parsed("- hook: tc-ingress\n  kernel: debian:*\n  verdict: fail\n  "
                              "reason: new\n"));
    ASSERT_TRUE(run.cells[0].expected);
    EXPECT_EQ(run.cells[0].expected->reason, "new");
    EXPECT_FALSE(run.cells[1].expected) << "a mark no entry backs is cleared";
}

// ---- outcomes ---------------------------------------------------------------------------------

CellResult marked(Verdict now, Verdict expected, std::string reason = "known bug") {
    CellResult c = cell("tc-ingress", "veth", "6.1.0-18-amd64", now, "fired for 0 of 10 packets");
    c.expected = CellResult::Expected{.verdict = expected, .reason = std::move(reason)};
    return c;
}

TEST(ExpectationsOutcome, MetFixedAndUnmet) {
    EXPECT_EQ(marked(Verdict::Fail, Verdict::Fail).expected_outcome(), Outcome::Met);
    EXPECT_EQ(marked(Verdict::Unsupported, Verdict::Unsupported).expected_outcome(), Outcome::Met);
    EXPECT_EQ(marked(Verdict::Pass, Verdict::Fail).expected_outcome(), Outcome::Fixed);
    EXPECT_EQ(marked(Verdict::Error, Verdict::Fail).expected_outcome(), Outcome::Unmet);
    EXPECT_EQ(marked(Verdict::Fail, Verdict::Unsupported).expected_outcome(), Outcome::Unmet);
    EXPECT_FALSE(cell("xdp", "veth", "6.1", Verdict::Fail).expected_outcome());
    EXPECT_EQ(to_string(Outcome::Met), "met");
    EXPECT_EQ(to_string(Outcome::Fixed), "fixed");
    EXPECT_EQ(to_string(Outcome::Unmet), "unmet");
}

TEST(ExpectationsOutcome, AMetExpectationFailsNothingAndAnUnmetOneCounts) {
    const Summary met = summarize({marked(Verdict::Fail, Verdict::Fail),
                                   cell("xdp", "veth", "6.1", Verdict::Pass)});
    EXPECT_TRUE(met.ok());
    EXPECT_EQ(met.expected, 1u);
    EXPECT_EQ(met.fail, 0u);
    EXPECT_EQ(met.pass, 1u);
    const Summary unmet = summarize({marked(Verdict::Error, Verdict::Fail)});
    EXPECT_FALSE(unmet.ok());
    EXPECT_EQ(unmet.error, 1u);
    EXPECT_EQ(unmet.expected, 0u);
    const Summary fixed = summarize({marked(Verdict::Pass, Verdict::Fail)});
    EXPECT_TRUE(fixed.ok());
    EXPECT_EQ(fixed.pass, 1u);
    EXPECT_EQ(fixed.fixed, 1u);
}

TEST(ExpectationsOutcome, LabelsSayExpectedFailOrFixed) {
    EXPECT_EQ(expectation_label(marked(Verdict::Fail, Verdict::Fail)), "expected fail");
    EXPECT_EQ(expectation_label(marked(Verdict::Unsupported, Verdict::Unsupported)),
              "expected unsupported");
    EXPECT_EQ(expectation_label(marked(Verdict::Pass, Verdict::Fail)),
              "fixed, remove the expectation");
    EXPECT_EQ(expectation_label(marked(Verdict::Error, Verdict::Fail)), "");
    const std::vector<CellResult> cells{marked(Verdict::Pass, Verdict::Fail, "issue 7"),
                                        marked(Verdict::Fail, Verdict::Fail)};
    EXPECT_EQ(fixed_lines(cells),
              (std::vector<std::string>{"fixed, remove the expectation: tc-ingress veth "
                                        "6.1.0-18-amd64 passes; expected fail: issue 7"}));
}

// ---- results.json -----------------------------------------------------------------------------

RunResult run_of(std::vector<CellResult> cells) {
    RunResult r{.run = {.tool_version = "0.1.0",
                        .host = "h",
                        .kernel_release = "6.1.0-18-amd64",
                        .packets_per_cell = 10}};
    r.cells = std::move(cells);
    return r;
}

TEST(ExpectationsJson, EachMarkedCellCarriesVerdictReasonAndOutcome) {
    const RunResult run = run_of({marked(Verdict::Fail, Verdict::Fail, "issue 7"),
                                  marked(Verdict::Pass, Verdict::Fail, "issue 8"),
                                  marked(Verdict::Error, Verdict::Unsupported, "issue 9"),
                                  cell("xdp", "veth", "6.1.0-18-amd64", Verdict::Pass)});
    const auto doc = to_json(run);
    const auto& cells = doc["cells"];
    EXPECT_EQ(cells[0]["expected"],
              (nlohmann::ordered_json{{"verdict", "fail"}, {"reason", "issue 7"},
                                      {"outcome", "met"}}));
    EXPECT_EQ(cells[1]["expected"]["outcome"], "fixed");
    EXPECT_EQ(cells[2]["expected"]["outcome"], "unmet");
    EXPECT_EQ(cells[2]["expected"]["verdict"], "unsupported");
    EXPECT_FALSE(cells[3].contains("expected")) << "no mark, no key";
}

TEST(ExpectationsJson, RoundTripKeepsTheMarks) {
    const RunResult before = run_of({marked(Verdict::Fail, Verdict::Fail, "issue 7"),
                                     marked(Verdict::Pass, Verdict::Attached, "issue 8"),
                                     cell("xdp", "veth", "6.1.0-18-amd64", Verdict::Pass)});
    auto after = results_from_json(nlohmann::ordered_json::parse(to_json(before).dump()),
                                   "results.json");
    ASSERT_TRUE(after) << after.error().message();
    ASSERT_EQ(after->cells.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(after->cells[i].expected, before.cells[i].expected) << i;
    EXPECT_EQ(after->cells[0].expected_outcome(), Outcome::Met);
    EXPECT_EQ(after->cells[1].expected_outcome(), Outcome::Fixed);
    EXPECT_EQ(to_json(*after), to_json(before));
}

TEST(ExpectationsJson, TheOutcomeIsRecomputedAndPassCannotBeExpected) {
    auto doc = to_json(run_of({marked(Verdict::Fail, Verdict::Fail)}));
    // A hand-edited outcome does not outvote the verdicts.
    doc["cells"][0]["expected"]["outcome"] = "fixed";
    auto r = results_from_json(doc, "results.json");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->cells[0].expected_outcome(), Outcome::Met);
    doc["cells"][0]["expected"]["verdict"] = "pass";
    r = results_from_json(doc, "results.json");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message(),
              "results.json: cells[0].expected.verdict: pass cannot be expected");
}

// ---- reports ----------------------------------------------------------------------------------

// The suite of one kernel and device: from its <testsuite name="..."> to its end.
std::string suite(const std::string& xml, const std::string& name) {
    const auto from = xml.find("<testsuite name=\"" + name + "\"");
    if (from == std::string::npos)
        return {};
    return xml.substr(from, xml.find("</testsuite>", from) - from);
}

TEST(ExpectationsJunit, AMetExpectationIsSkippedWithItsReason) {
    RunResult run = run_of({marked(Verdict::Fail, Verdict::Fail, "issue <7>"),
                            marked(Verdict::Error, Verdict::Unsupported, "x"),
                            marked(Verdict::Pass, Verdict::Fail, "issue 8")});
    run.cells[1].hook = "tc-egress";
    run.cells[2].hook = "xdp";
    const std::string xml = junit_xml(run);
    EXPECT_TRUE(contains(xml, "<skipped message=\"expected fail: issue &lt;7&gt;\">")) << xml;
    EXPECT_TRUE(contains(xml, "fixed, remove the expectation (expected fail: issue 8)")) << xml;
    EXPECT_TRUE(contains(xml, "<error message=")) << "an unmet expectation counts as it is";
}

TEST(ExpectationsJunit, AMetExpectationCountsAsASkipNotAFailure) {
    RunResult run = run_of({marked(Verdict::Fail, Verdict::Fail, "issue 7")});
    run.cells.push_back(cell("tc-egress", "veth", "6.1.0-18-amd64", Verdict::Pass));
    const std::string veth = suite(junit_xml(run), "6.1.0-18-amd64 veth");
    EXPECT_TRUE(contains(veth, R"(tests="2" failures="0" errors="0" skipped="1")")) << veth;
    EXPECT_FALSE(contains(veth, "<failure")) << veth;
}

TEST(ExpectationsConsole, ProgressLineSaysExpectedFailAndTheEndListsStaleOnes) {
    RunResult run = run_of({marked(Verdict::Fail, Verdict::Fail, "issue 7"),
                            marked(Verdict::Pass, Verdict::Fail, "issue 8")});
    run.cells[1].hook = "tc-egress";
    std::ostringstream out;
    auto reporter = make_console_reporter(out);
    reporter->begin(run.run, run.cells.size());
    for (const CellResult& c : run.cells)
        reporter->cell(c);
    ASSERT_TRUE(reporter->end(run));
    const std::string text = out.str();
    EXPECT_TRUE(contains(text, "expected fail")) << text;
    EXPECT_TRUE(contains(text, "(expected fail: issue 7)")) << text;
    EXPECT_TRUE(contains(text, "1 pass, 0 fail, 0 unsupported, 0 error, 1 expected, 1 fixed"))
        << text;
    EXPECT_TRUE(contains(text, "fixed, remove the expectation: tc-egress veth 6.1.0-18-amd64 "
                               "passes; expected fail: issue 8"))
        << text;
}

TEST(ExpectationsMarkdownAndHtml, ReadExpectedFail) {
    RunResult run = run_of({marked(Verdict::Fail, Verdict::Fail, "issue 7"),
                            marked(Verdict::Pass, Verdict::Fail, "issue 8")});
    run.cells[1].hook = "tc-egress";
    const std::string md = markdown_report(run, nullptr);
    EXPECT_TRUE(contains(md, "expected fail")) << md;
    EXPECT_TRUE(contains(md, "fixed, remove the expectation")) << md;
    EXPECT_TRUE(contains(md, "1 expected, 1 fixed")) << md;
    const std::string html = html_report(run);
    EXPECT_TRUE(contains(html, "expected fail")) << "html";
    EXPECT_TRUE(contains(html, "fixed, remove the expectation")) << "html";
}

// ---- diff -------------------------------------------------------------------------------------

TEST(ExpectationsDiff, AFailureTheNewSideExpectsIsNoRegression) {
    const std::vector<CellResult> base{cell("tc-ingress", "veth", "6.1", Verdict::Pass),
                                       cell("tc-egress", "veth", "6.1", Verdict::Pass),
                                       cell("xdp", "veth", "6.1", Verdict::Pass)};
    std::vector<CellResult> now{marked(Verdict::Fail, Verdict::Fail, "issue 7"),
                                cell("tc-egress", "veth", "6.1", Verdict::Fail),
                                marked(Verdict::Pass, Verdict::Fail, "issue 8")};
    for (CellResult& c : now)
        c.kernel = "6.1";
    now[2].hook = "xdp";
    auto d = compare_cells(base, now, true, {});
    ASSERT_TRUE(d) << d.error().message();
    std::map<std::string, Change> change;
    for (const CellDiff& c : d->cells)
        change[c.hook] = c.change;
    EXPECT_EQ(change["tc-ingress"], Change::Expected);
    EXPECT_EQ(change["tc-egress"], Change::Regression) << "no mark: a regression as ever";
    EXPECT_EQ(change["xdp"], Change::Unchanged);
    EXPECT_EQ(d->summary.expected, 1u);
    EXPECT_EQ(d->summary.regressions, 1u);
    EXPECT_EQ(to_string(Change::Expected), "expected");

    const DiffSides sides{.base_source = "a.json", .new_source = "b.json"};
    const std::string text = diff_to_text(*d, sides);
    EXPECT_TRUE(contains(text, "expected fail: issue 7")) << text;
    EXPECT_TRUE(contains(text, "fixed, remove the expectation: xdp veth 6.1 passes; expected "
                               "fail: issue 8"))
        << text;
    EXPECT_TRUE(contains(text, "1 regressions, 0 improvements, 1 unchanged, 1 expected")) << text;
    const auto json = diff_to_json(*d, sides);
    EXPECT_EQ(json["summary"]["expected"], 1);
    EXPECT_EQ(json["cells"][0]["change"], "unchanged"); // xdp first: catalogue order
    EXPECT_EQ(json["cells"][0]["new_expected"]["outcome"], "fixed");
    EXPECT_EQ(json["cells"][1]["change"], "expected");
    EXPECT_EQ(json["cells"][1]["new_expected"]["outcome"], "met");
    EXPECT_TRUE(contains(diff_to_markdown(*d, sides), "fixed, remove the expectation"));

    // Without the regression of tc-egress, the diff has none.
    now[1].verdict = Verdict::Pass;
    d = compare_cells(base, now, true, {});
    ASSERT_TRUE(d);
    EXPECT_FALSE(d->has_regression());
}

} // namespace
} // namespace hm
