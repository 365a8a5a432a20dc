// matrix/results/results_json.h: results.json "hookmatrix/1", written and read back.
#include "matrix/results/results_json.h"
#include "reports/json_reporter.h"

#include "reports/reporter.h" // results_json.h only forward-declares Reporter
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace hm {
namespace {

using json = nlohmann::ordered_json;
using namespace std::chrono_literals;

// 2026-01-31T12:00:00Z; results.json keeps whole seconds.
const auto kStarted = std::chrono::system_clock::time_point(1'769'860'800s);

CellResult passing_cell() {
    const std::vector<std::uint64_t> samples{4'100, 3'900, 5'000, 4'000};
    return {.hook = "tc-egress",
            .device = "veth",
            .kernel = "host",
            .verdict = Verdict::Pass,
            .reason = "fired once per echo request for all 4 packets; all replies returned",
            .attachment = "tc clsact egress, prog id 12",
            .packets_sent = 4,
            .replies = 4,
            .fired = 4,
            .samples_ns = samples,
            .latency = summarize(samples),
            .duration_s = 0.25};
}

CellResult error_cell() {
    return {.hook = "xdpdrv",
            .device = "veth",
            .kernel = "host",
            .verdict = Verdict::Error,
            .reason = "cannot load the XDP probe",
            .detail = "0: (b7) r0 = 2\nR0 !read_ok\nprocessed 1 insns",
            .duration_s = 0.5};
}

RunResult sample_run() {
    return {.run = {.tool_version = "0.1.0",
                    .libbpf_version = "1.1",
                    .host = "ci-runner-7",
                    .kernel_release = "6.1.0-18-amd64",
                    .command_line = "hookmatrix run --hooks tc-egress,xdpdrv",
                    .started = kStarted,
                    .duration_s = 1.75,
                    .packets_per_cell = 4},
            .cells = {passing_cell(), error_cell()}};
}

TEST(ResultsJson, DocumentStartsWithTheSchema) {
    json doc = to_json(sample_run());
    ASSERT_TRUE(doc.is_object());
    EXPECT_EQ(doc.begin().key(), "schema");
    EXPECT_EQ(doc["schema"], "hookmatrix/1");
    EXPECT_EQ(std::string(kResultsSchema), "hookmatrix/1");
}

TEST(ResultsJson, RunFieldsAreWrittenUnderRun) {
    const json run = to_json(sample_run())["run"];
    EXPECT_EQ(run, json::parse(R"({
        "tool_version": "0.1.0",
        "libbpf_version": "1.1",
        "host": "ci-runner-7",
        "kernel": "6.1.0-18-amd64",
        "command": "hookmatrix run --hooks tc-egress,xdpdrv",
        "started": "2026-01-31T12:00:00Z",
        "duration_s": 1.75,
        "packets_per_cell": 4
    })"));
}

TEST(ResultsJson, CellWithSamplesHasLatencyStatisticsAndValues) {
    const json cell = to_json(passing_cell());
    EXPECT_EQ(cell, json::parse(R"({
        "hook": "tc-egress",
        "device": "veth",
        "kernel": "host",
        "verdict": "pass",
        "reason": "fired once per echo request for all 4 packets; all replies returned",
        "packets": {"sent": 4, "fired": 4, "replies": 4},
        "duration_s": 0.25,
        "attachment": "tc clsact egress, prog id 12",
        "latency_ns": {"samples": 4, "min": 3900, "p50": 4000, "p90": 5000, "p99": 5000,
                       "max": 5000, "mean": 4250.0, "values": [4100, 3900, 5000, 4000]}
    })"));
}

TEST(ResultsJson, CellWithoutSamplesOrAttachmentOmitsThose) {
    const json cell = to_json(error_cell());
    EXPECT_EQ(cell["verdict"], "error");
    EXPECT_EQ(cell["detail"], "0: (b7) r0 = 2\nR0 !read_ok\nprocessed 1 insns");
    EXPECT_FALSE(cell.contains("latency_ns"));
    EXPECT_FALSE(cell.contains("attachment"));
}

TEST(ResultsJson, VerdictsAreWrittenAsLowercaseWords) {
    for (auto [v, word] :
         {std::pair{Verdict::Pass, "pass"}, std::pair{Verdict::Fail, "fail"},
          std::pair{Verdict::Unsupported, "unsupported"}, std::pair{Verdict::Error, "error"}}) {
        CellResult c = error_cell();
        c.verdict = v;
        EXPECT_EQ(to_json(c)["verdict"], word);
    }
}

void expect_same_cell(const CellResult& a, const CellResult& b) {
    EXPECT_EQ(a.hook, b.hook);
    EXPECT_EQ(a.device, b.device);
    EXPECT_EQ(a.kernel, b.kernel);
    EXPECT_EQ(a.verdict, b.verdict);
    EXPECT_EQ(a.reason, b.reason);
    EXPECT_EQ(a.detail, b.detail);
    EXPECT_EQ(a.attachment, b.attachment);
    EXPECT_EQ(a.packets_sent, b.packets_sent);
    EXPECT_EQ(a.replies, b.replies);
    EXPECT_EQ(a.fired, b.fired);
    EXPECT_EQ(a.samples_ns, b.samples_ns);
    EXPECT_EQ(a.latency.samples, b.latency.samples);
    EXPECT_EQ(a.latency.min, b.latency.min);
    EXPECT_EQ(a.latency.p50, b.latency.p50);
    EXPECT_EQ(a.latency.p90, b.latency.p90);
    EXPECT_EQ(a.latency.p99, b.latency.p99);
    EXPECT_EQ(a.latency.max, b.latency.max);
    EXPECT_EQ(a.latency.mean, b.latency.mean);
    EXPECT_EQ(a.duration_s, b.duration_s);
}

TEST(ResultsJson, RoundTripPreservesEveryField) {
    const RunResult before = sample_run();
    auto after = results_from_json(to_json(before), "results.json");
    ASSERT_TRUE(after) << after.error().message();
    EXPECT_EQ(after->run.schema, "hookmatrix/1");
    EXPECT_EQ(after->run.tool_version, before.run.tool_version);
    EXPECT_EQ(after->run.libbpf_version, before.run.libbpf_version);
    EXPECT_EQ(after->run.host, before.run.host);
    EXPECT_EQ(after->run.kernel_release, before.run.kernel_release);
    EXPECT_EQ(after->run.command_line, before.run.command_line);
    EXPECT_EQ(after->run.started, before.run.started);
    EXPECT_EQ(after->run.duration_s, before.run.duration_s);
    EXPECT_EQ(after->run.packets_per_cell, before.run.packets_per_cell);
    ASSERT_EQ(after->cells.size(), before.cells.size());
    for (std::size_t i = 0; i < before.cells.size(); ++i) {
        SCOPED_TRACE("cells[" + std::to_string(i) + "]");
        expect_same_cell(after->cells[i], before.cells[i]);
    }
}

TEST(ResultsJson, RoundTripThroughTextPreservesFractionalSeconds) {
    RunResult before = sample_run();
    before.run.duration_s = 0.1 + 0.2; // not exactly representable in few digits
    auto after = results_from_json(json::parse(to_json(before).dump(2)), "results.json");
    ASSERT_TRUE(after) << after.error().message();
    EXPECT_EQ(after->run.duration_s, before.run.duration_s);
}

// Within hookmatrix/1 new optional fields may appear; an older reader must not choke on them.
TEST(ResultsJson, ReaderIgnoresFieldsItDoesNotKnow) {
    json doc = to_json(sample_run());
    doc["generator"] = "a newer hookmatrix";
    doc["run"]["cpu_model"] = "AMD EPYC";
    doc["cells"][0]["packets"]["dropped"] = 0;
    doc["cells"][0]["latency_ns"]["p999"] = 5000;
    auto r = results_from_json(doc, "results.json");
    ASSERT_TRUE(r) << r.error().message();
    ASSERT_EQ(r->cells.size(), 2u);
    expect_same_cell(r->cells[0], passing_cell());
}

TEST(ResultsJson, ReaderAcceptsAbsentOptionalFields) {
    json doc = to_json(sample_run());
    doc["run"].erase("command");
    ASSERT_TRUE(doc["cells"][1].contains("detail"));
    doc["cells"][1].erase("detail");
    auto r = results_from_json(doc, "results.json");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->run.command_line, "");
    EXPECT_EQ(r->cells[1].detail, "");
    EXPECT_EQ(r->cells[1].attachment, "");
    EXPECT_EQ(r->cells[1].latency.samples, 0u);
    EXPECT_TRUE(r->cells[1].samples_ns.empty());
}

// The statistics are recomputed from the values on read: the values are the source of truth.
TEST(ResultsJson, ReaderRecomputesStatisticsFromValues) {
    json doc = to_json(sample_run());
    doc["cells"][0]["latency_ns"]["p50"] = 1;
    doc["cells"][0]["latency_ns"]["mean"] = 1.0;
    auto r = results_from_json(doc, "results.json");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->cells[0].latency.p50, 4000u);
    EXPECT_DOUBLE_EQ(r->cells[0].latency.mean, 4250.0);
}

// Sets TZ for one test and restores it, so the test can run on a machine in any zone.
class LocalTimeZone {
public:
    explicit LocalTimeZone(const char* tz) {
        if (const char* old = std::getenv("TZ"))
            old_ = old;
        ::setenv("TZ", tz, 1);
        ::tzset();
    }
    ~LocalTimeZone() {
        if (old_)
            ::setenv("TZ", old_->c_str(), 1);
        else
            ::unsetenv("TZ");
        ::tzset();
    }

private:
    std::optional<std::string> old_;
};

// Disabled: with fmt 9 (Debian 12), formatting a system_clock time point uses local time, yet
// the string ends in "Z" and the reader parses it with timegm(). On a host not in UTC "started"
// is off by the zone offset. Enable once matrix/results/results_json.cpp formats through gmtime.
TEST(ResultsJson, StartedIsUtcWhateverTheLocalTimeZone) {
    LocalTimeZone zone("XST-05:00"); // a POSIX zone five hours east, needs no tzdata
    const json doc = to_json(sample_run());
    EXPECT_EQ(doc["run"]["started"], "2026-01-31T12:00:00Z");
    auto back = results_from_json(doc, "results.json");
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(back->run.started, kStarted);
}

// An error must say which file and what is wrong with it.
struct RejectCase {
    std::string name;
    json doc;
    std::string problem; // part of the message after the source
};

json with(json doc, const json::json_pointer& at, const json& value) {
    doc[at] = value;
    return doc;
}

json without(json doc, const json::json_pointer& parent, const std::string& key) {
    doc[parent].erase(key);
    return doc;
}

TEST(ResultsJson, RejectsBadDocumentsNamingSourceAndProblem) {
    const json good = to_json(sample_run());
    const RejectCase cases[] = {
        {.name = "array", .doc = json::array({1, 2}), .problem = "not a JSON object"},
        {.name = "string", .doc = "hookmatrix/1", .problem = "not a JSON object"},
        {.name = "no schema",
         .doc = without(good, ""_json_pointer, "schema"),
         .problem = "schema: missing"},
        {.name = "schema not a string",
         .doc = with(good, "/schema"_json_pointer, 1),
         .problem = "schema: missing"},
        {.name = "future schema",
         .doc = with(good, "/schema"_json_pointer, "hookmatrix/99"),
         .problem =
             "schema: 'hookmatrix/99' is not supported (this hookmatrix reads hookmatrix/1)"},
        {.name = "bad verdict",
         .doc = with(good, "/cells/1/verdict"_json_pointer, "maybe"),
         .problem = "cells[1].verdict: 'maybe' is not a verdict"},
        {.name = "missing cell field",
         .doc = without(good, "/cells/0"_json_pointer, "reason"),
         .problem = "cells[0].reason: missing"},
        {.name = "missing run field",
         .doc = without(good, "/run"_json_pointer, "host"),
         .problem = "run.host: missing"},
        {.name = "missing cells",
         .doc = without(good, ""_json_pointer, "cells"),
         .problem = "cells: missing"},
        {.name = "wrong field type",
         .doc = with(good, "/cells/0/packets/sent"_json_pointer, "4"),
         .problem = "number"},
        {.name = "bad start time",
         .doc = with(good, "/run/started"_json_pointer, "yesterday"),
         .problem = "run.started: 'yesterday' is not a UTC time"},
        // Found by tests/fuzz (results, diff_merge): a year past 2262 overflowed system_clock.
        {.name = "start time beyond the clock",
         .doc = with(good, "/run/started"_json_pointer, "4052-12-03T08:11:09Z"),
         .problem = "the year is outside 1970..2200"},
        {.name = "latency near 2^63",
         .doc = with(good, "/cells/0/latency_ns/values/0"_json_pointer,
                     json(9223372036854775807ull)),
         .problem = "more than a day"},
        {.name = "start time before the clock",
         .doc = with(good, "/run/started"_json_pointer, "1066-10-14T09:00:00Z"),
         .problem = "the year is outside 1970..2200"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto r = results_from_json(c.doc, "old/results.json");
        ASSERT_FALSE(r);
        const std::string msg = r.error().message();
        EXPECT_EQ(msg.rfind("old/results.json: ", 0), 0u) << msg;
        EXPECT_NE(msg.find(c.problem), std::string::npos) << msg;
    }
}

class ResultsFile : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dir_.valid()) << "mkdtemp failed"; }
    test::TempDir dir_;
};

TEST_F(ResultsFile, ReadsWhatTheJsonReporterWrote) {
    const std::string path = dir_.file("results.json");
    auto reporter = make_json_reporter(path);
    auto s = reporter->end(sample_run());
    ASSERT_TRUE(s) << s.error().message();
    auto r = read_results_file(path);
    ASSERT_TRUE(r) << r.error().message();
    ASSERT_EQ(r->cells.size(), 2u);
    expect_same_cell(r->cells[0], passing_cell());
    expect_same_cell(r->cells[1], error_cell());
}

TEST_F(ResultsFile, TruncatedFileIsAnError) {
    const std::string text = to_json(sample_run()).dump(2);
    const std::string path = dir_.file("truncated.json");
    test::write_file(path, text.substr(0, text.size() / 2));
    auto r = read_results_file(path);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message(), path + ": truncated JSON: the text ends at byte " +
                                       std::to_string(text.size() / 2) +
                                       " before the document does");
}

TEST_F(ResultsFile, EmptyFileIsAnError) {
    const std::string path = dir_.file("empty.json");
    test::write_file(path, "");
    auto r = read_results_file(path);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find(path + ": empty file"), std::string::npos)
        << r.error().message();
}

TEST_F(ResultsFile, MissingFileIsAnErrorNamingIt) {
    const std::string path = dir_.file("absent.json");
    auto r = read_results_file(path);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().err, ENOENT);
    EXPECT_NE(r.error().what.find(path), std::string::npos) << r.error().what;
}

} // namespace
} // namespace hm
