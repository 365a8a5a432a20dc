// reports/html_reporter.h: report.html, one self-contained page; every string from the results
// escaped, the chart data handed over as JSON that cannot end its <script> element.
#include "reports/html_reporter.h"

#include "report_fixture.h"
#include "reports/escape.h"
#include "temp_dir.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <string>

namespace hm {
namespace {

using test::report_run;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The text of <script type="application/json" id="hm-data">.
std::string data_block(const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"hm-data\">";
    const auto start = html.find(open);
    if (start == std::string::npos)
        return {};
    const auto from = start + open.size();
    return html.substr(from, html.find("</script>", from) - from);
}

TEST(JsonForScript, EscapesEveryLessThanAndStaysJson) {
    const nlohmann::json j = {{"s", "</script><!-- x"}};
    const std::string out = json_for_script(j.dump());
    EXPECT_EQ(out, R"({"s":"\u003c/script>\u003c!-- x"})");
    EXPECT_EQ(nlohmann::json::parse(out), j);
}

TEST(HtmlReport, EscapesEveryStringFromTheResults) {
    const std::string html = html_report(report_run());
    EXPECT_FALSE(contains(html, "alert('x')"));
    EXPECT_TRUE(contains(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    EXPECT_FALSE(contains(html, "</details>]]>"));
    EXPECT_FALSE(contains(html, "\x01"));
    EXPECT_TRUE(
        contains(html, "<code>hookmatrix run --hooks &#39;&lt;x&gt;&#39; -o out&amp;more</code>"));
    EXPECT_TRUE(contains(html, "<dd>host&lt;1&gt;</dd>"));
}

TEST(HtmlReport, HasThreeScriptsAndTheDataParsesBack) {
    const std::string html = html_report(report_run());
    std::size_t scripts = 0;
    for (auto pos = html.find("<script"); pos != std::string::npos;
         pos = html.find("<script", pos + 1))
        ++scripts;
    EXPECT_EQ(scripts, 4u); // error counter, Chart.js, data, drawing
    const std::string data = data_block(html);
    ASSERT_FALSE(data.empty());
    EXPECT_FALSE(contains(data, "</"));
    EXPECT_FALSE(contains(data, "<"));
    const auto j = nlohmann::json::parse(data, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << data;
    // A chart per device with samples: veth (cells on both kernels) and lo.
    ASSERT_EQ(j["charts"].size(), 2u) << j.dump();
    EXPECT_EQ(j["charts"][0]["title"], "veth");
    EXPECT_EQ(j["charts"][0]["labels"],
              nlohmann::json({"xdpgeneric @ 6.1.0-18-amd64 (host)", "xdpgeneric @ 6.6.0"}));
    EXPECT_EQ(j["charts"][0]["p50"], nlohmann::json({2500, 3000}));
    EXPECT_EQ(j["charts"][0]["p99"], nlohmann::json({9000, 3100}));
    EXPECT_EQ(j["charts"][1]["title"], "lo");
}

TEST(HtmlReport, IsSelfContained) {
    const std::string html = html_report(report_run());
    EXPECT_TRUE(contains(html, "Chart.js v3")) << "Chart.js is inlined";
    // Nothing that would be fetched at view time.
    EXPECT_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=\s*["']?(https?:)?//)")));
    EXPECT_FALSE(std::regex_search(html, std::regex(R"(<link[^>]+stylesheet)")));
    EXPECT_FALSE(std::regex_search(html, std::regex("@@[A-Z]+@@"))) << "a slot was left unfilled";
}

TEST(HtmlReport, TableCellsCarryVerdictColourReasonOnHoverAndFoldedDetail) {
    const std::string html = html_report(report_run());
    EXPECT_TRUE(contains(html, "<td class=\"pass\" title=\"fired for all 4\"><span "
                               "class=\"verdict\">pass 2.5 µs</span>"));
    EXPECT_TRUE(contains(html, "<td class=\"error\" title=\"load probe: Permission denied\">"));
    EXPECT_TRUE(contains(html, "<pre>0: (61) r2 = *(u32 *)(r1 +76)\n&lt;script&gt;"));
    EXPECT_TRUE(contains(html, "<td class=\"fail\" title=\"fired for 3 of 4 packets | lost "
                               "&lt;script&gt;"));
    EXPECT_TRUE(contains(html, "<td class=\"unsupported\""));
    EXPECT_TRUE(contains(html, "<td class=\"absent\""));
    // Line breaks in a reason survive a title attribute as character references.
    EXPECT_TRUE(contains(html, "a\uFFFDb&#10;&lt;/details&gt;"));
}

TEST(HtmlReport, ShowsTheRunAndEachChoirsFiringOrder) {
    const std::string html = html_report(report_run());
    EXPECT_TRUE(contains(html, "<dd>6.1.0-18-amd64 (host), 6.6.0</dd>"));
    EXPECT_TRUE(contains(html, "<dd>2026-01-31 12:00:00 UTC</dd>"));
    EXPECT_TRUE(contains(html, "<ol class=\"path\"><li class=\"pass\" title=\"ok\">xdpgeneric"
                               "<small>2.0 µs</small></li><li class=\"arrow\" "
                               "aria-hidden=\"true\">→</li><li class=\"fail\""));
    EXPECT_TRUE(contains(html, "The same order for 3 of 4 packets."));
    EXPECT_TRUE(contains(html, "unsupported: no netdevsim module"));
}

TEST(HtmlReporter, WritesTheFileWhenTheRunEnds) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    auto reporter = make_html_reporter(dir.file("report.html"));
    const RunResult run = report_run();
    ASSERT_TRUE(reporter->end(run));
    EXPECT_EQ(test::read_file(dir.file("report.html")), html_report(run));
}

} // namespace
} // namespace hm

namespace hm {
namespace {

TEST(HtmlReport, AcrossKernelsHasASinceTablePerDeviceAndASelectToSwitch) {
    const std::string html = html_report(test::kernels_run());
    const auto at = html.find("<section id=\"since\">");
    ASSERT_NE(at, std::string::npos);
    const std::string since = html.substr(at, html.find("</section>", at) - at);
    EXPECT_TRUE(contains(since, "<select id=\"since-device\"><option value=\"veth\">veth</option>"
                                "<option value=\"lo\">lo</option><option value=\"netdevsim\">"
                                "netdevsim</option></select>"))
        << since;
    for (const char* device : {"veth", "lo", "netdevsim"})
        EXPECT_TRUE(contains(since, std::string("<table class=\"since\" data-device=\"") +
                                        device + "\">"))
            << device;
    // Kernels in version order in each table's head, the host marked, TCG ones in italics.
    const auto head = since.substr(0, since.find("</thead>"));
    const auto k510 = head.find("5.10.0-35"), k61 = head.find("6.1.0-40"),
               k612 = head.find("6.12.57"), host = head.find("6.18.0-hm (host)");
    ASSERT_NE(host, std::string::npos) << head;
    EXPECT_LT(k510, k61);
    EXPECT_LT(k61, k612);
    EXPECT_LT(k612, host);
    EXPECT_TRUE(contains(head, "<th class=\"emulated\">5.10.0-35-cloud-amd64 (debian:5.10, TCG)</th>"));
    EXPECT_TRUE(contains(since, "<td class=\"since lost\">since 5.10.0-35-cloud-amd64"));
    EXPECT_TRUE(contains(since, "(1 in this run)"));
    // One-kernel runs have none.
    RunResult one = report_run();
    std::erase_if(one.cells, [](const CellResult& c) { return c.kernel != "6.1.0-18-amd64"; });
    EXPECT_FALSE(contains(html_report(one), "<section id=\"since\">"));
}

TEST(HtmlReport, TcgLatenciesAreMarkedAndChartedApartFromTheHosts) {
    const std::string html = html_report(test::kernels_run());
    EXPECT_TRUE(contains(html, "13.6 µs (TCG)"));
    EXPECT_TRUE(contains(html, "measured under TCG (emulated CPU)"));
    const auto data = nlohmann::json::parse(data_block(html));
    std::size_t emulated = 0, hardware = 0;
    for (const auto& chart : data["charts"]) {
        const bool tcg = chart["emulated"].get<bool>();
        (tcg ? emulated : hardware) += 1;
        for (const auto& label : chart["labels"])
            EXPECT_EQ(label.get<std::string>().find("TCG") != std::string::npos, tcg)
                << chart["title"] << ": " << label;
    }
    EXPECT_EQ(hardware, 1u); // the host's veth (its lo cell failed: no samples)
    EXPECT_EQ(emulated, 2u); // veth and lo in the TCG guests
}

} // namespace
} // namespace hm
