// reports/junit_reporter.h: junit.xml as CI test reporters read it, and reports/escape.h's XML
// escaping that keeps any reason from breaking it.
#include "reports/junit_reporter.h"

#include "core/spawn.h"
#include "report_fixture.h"
#include "reports/escape.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace hm {
namespace {

using test::kNasty;
using test::report_run;

struct EscapeCase {
    std::string in;
    std::string text;      // as element content
    std::string attribute; // inside a quoted attribute
};

TEST(XmlEscape, TurnsMarkupQuotesAndControlCharactersIntoSafeText) {
    const EscapeCase cases[] = {
        {.in = "plain", .text = "plain", .attribute = "plain"},
        {.in = "a<b>c", .text = "a&lt;b&gt;c", .attribute = "a&lt;b&gt;c"},
        {.in = "x & y", .text = "x &amp; y", .attribute = "x &amp; y"},
        {.in = "&amp;", .text = "&amp;amp;", .attribute = "&amp;amp;"},
        {.in = "\"q\" 'a'",
         .text = "&quot;q&quot; &#39;a&#39;",
         .attribute = "&quot;q&quot; &#39;a&#39;"},
        {.in = "l1\nl2\tt", .text = "l1\nl2\tt", .attribute = "l1&#10;l2&#9;t"},
        {.in = "cr\r", .text = "cr&#13;", .attribute = "cr&#13;"},
        // XML 1.0 cannot carry these at all, not even as &#1;: the replacement character.
        {.in = std::string("a\x01"
                           "b\x1b"
                           "c\x7f",
                           6),
         .text = "a\uFFFDb\uFFFDc\uFFFD",
         .attribute = "a\uFFFDb\uFFFDc\uFFFD"},
        {.in = std::string("nul\0x", 5), .text = "nul\uFFFDx", .attribute = "nul\uFFFDx"},
        {.in = "bad \xff\xfe utf8",
         .text = "bad \uFFFD\uFFFD utf8",
         .attribute = "bad \uFFFD\uFFFD utf8"},
        {.in = "µs → ok", .text = "µs → ok", .attribute = "µs → ok"},
        {.in = "]]>", .text = "]]&gt;", .attribute = "]]&gt;"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(xml_escape(c.in), c.text) << c.in;
        EXPECT_EQ(xml_escape(c.in, true), c.attribute) << c.in;
    }
}

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + 1))
        ++n;
    return n;
}

std::string suite(const std::string& xml, const std::string& name) {
    const auto start = xml.find("<testsuite name=\"" + name + "\"");
    if (start == std::string::npos)
        return {};
    return xml.substr(start, xml.find("</testsuite>", start) - start);
}

TEST(JunitXml, HasASuitePerKernelAndDeviceAndOnePerChoir) {
    const std::string xml = junit_xml(report_run());
    EXPECT_TRUE(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    EXPECT_EQ(count(xml, "<testsuite "), 5u) << xml;
    EXPECT_FALSE(suite(xml, "6.1.0-18-amd64 veth").empty());
    EXPECT_FALSE(suite(xml, "6.1.0-18-amd64 lo").empty());
    EXPECT_FALSE(suite(xml, "6.6.0 veth").empty());
    EXPECT_FALSE(suite(xml, "choir 6.1.0-18-amd64 veth").empty());
    EXPECT_FALSE(suite(xml, "choir 6.1.0-18-amd64 netdevsim").empty());
}

TEST(JunitXml, CountsEachVerdictWhereCiReadersLookForIt) {
    const std::string xml = junit_xml(report_run());
    const std::string veth = suite(xml, "6.1.0-18-amd64 veth");
    EXPECT_NE(veth.find(R"(tests="4" failures="1" errors="1" skipped="1" time="1.000")"),
              std::string::npos)
        << veth;
    // The choir: two voices (one fails) and one hook left out (a skip).
    const std::string choir = suite(xml, "choir 6.1.0-18-amd64 veth");
    EXPECT_NE(choir.find(R"(tests="3" failures="1" errors="0" skipped="1")"), std::string::npos)
        << choir;
    // A choir this kernel cannot make is one skipped case, saying why.
    const std::string cannot = suite(xml, "choir 6.1.0-18-amd64 netdevsim");
    EXPECT_NE(cannot.find(R"(tests="1" failures="0" errors="0" skipped="1")"), std::string::npos);
    EXPECT_NE(cannot.find("<skipped message=\"no netdevsim module\"/>"), std::string::npos);
    // All cells: 7, plus 3 + 1 choir cases; 2 fail, 1 error, 3 skipped.
    EXPECT_NE(
        xml.find(R"(<testsuites name="hookmatrix" tests="11" failures="2" errors="1" skipped="3")"),
        std::string::npos)
        << xml.substr(0, 200);
}

TEST(JunitXml, MapsVerdictsToFailureErrorSkippedAndAPassWithItsMedian) {
    const std::string xml = junit_xml(report_run());
    const std::string veth = suite(xml, "6.1.0-18-amd64 veth");
    EXPECT_NE(
        veth.find(
            R"(<testcase classname="hookmatrix.6.1.0-18-amd64.veth" name="xdpgeneric" time="0.250">)"),
        std::string::npos)
        << veth;
    EXPECT_NE(veth.find(R"(<property name="latency_p50_ns" value="2500"/>)"), std::string::npos);
    EXPECT_NE(veth.find("<failure message=\"fired for 3 of 4 packets | lost &lt;script&gt;"),
              std::string::npos);
    // The error carries the verifier log as its text.
    EXPECT_NE(veth.find("<error message=\"load probe: Permission denied\" type=\"error\">"),
              std::string::npos);
    EXPECT_NE(veth.find("0: (61) r2 = *(u32 *)(r1 +76)\n"), std::string::npos);
    EXPECT_NE(veth.find("<skipped message=\"no tcx before 6.6 &lt;"), std::string::npos);
    EXPECT_EQ(xml.find("<script>"), std::string::npos);
    EXPECT_EQ(xml.find('\x01'), std::string::npos);
    EXPECT_EQ(xml.find("]]>"), std::string::npos);
}

// Runs xmllint on `file` against tests/data/junit.xsd. With CI=true a missing xmllint fails the
// test; elsewhere it skips.
void expect_valid_junit(const std::string& file) {
    auto xmllint = find_program("xmllint");
    if (!xmllint) {
        const char* ci = std::getenv("CI");
        if (ci && std::string(ci) == "true")
            FAIL() << "CI=true and xmllint is missing (Debian: libxml2-utils)";
        GTEST_SKIP() << "xmllint missing (Debian: libxml2-utils)";
    }
    auto r = spawn({*xmllint, "--noout", "--schema", HOOKMATRIX_TEST_DATA "/junit.xsd", file});
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->exit_code, 0) << r->err;
}

TEST(JunitXml, ValidatesAgainstTheJUnitSchemaWithNastyStrings) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    auto reporter = make_junit_reporter(dir.file("junit.xml"));
    const RunResult run = report_run();
    ASSERT_TRUE(reporter->end(run));
    expect_valid_junit(dir.file("junit.xml"));
}

TEST(JunitXml, AnEmptyRunIsStillValid) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    auto reporter = make_junit_reporter(dir.file("junit.xml"));
    ASSERT_TRUE(reporter->end(RunResult{}));
    EXPECT_NE(test::read_file(dir.file("junit.xml")).find(R"(tests="0")"), std::string::npos);
    expect_valid_junit(dir.file("junit.xml"));
}

} // namespace
} // namespace hm
