#include "reports/junit_reporter.h"

#include "reports/escape.h"
#include "reports/file_reporter.h"
#include "reports/report_grid.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace hm {

namespace {
std::string attr(std::string_view s) {
    return xml_escape(s, true);
}

struct Counts {
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    double time = 0;
    // A known outcome (--expect) is skipped, whatever its verdict: it fails nothing.
    void add(Verdict v, bool expected = false) {
        ++tests;
        failures += !expected && v == Verdict::Fail;
        errors += !expected && v == Verdict::Error;
        skipped += expected || v == Verdict::Unsupported;
    }
    Counts& operator+=(const Counts& o) {
        tests += o.tests, failures += o.failures, errors += o.errors, skipped += o.skipped;
        time += o.time;
        return *this;
    }
    std::string attributes() const {
        return fmt::format(R"(tests="{}" failures="{}" errors="{}" skipped="{}" time="{:.3f}")",
                           tests, failures, errors, skipped, time);
    }
};

std::string property(std::string_view name, std::string_view value) {
    return fmt::format("<property name=\"{}\" value=\"{}\"/>", attr(name), attr(value));
}

std::string latency_properties(const LatencyStats& l, const std::string& indent) {
    if (!l.samples)
        return {};
    return fmt::format("{0}<properties>\n"
                       "{0}  {1}\n{0}  {2}\n{0}  {3}\n{0}  {4}\n"
                       "{0}</properties>\n",
                       indent, property("latency_p50_ns", std::to_string(l.p50)),
                       property("latency_p90_ns", std::to_string(l.p90)),
                       property("latency_p99_ns", std::to_string(l.p99)),
                       property("latency_samples", std::to_string(l.samples)));
}

// The verdict as the element JUnit readers understand; nothing for a pass.
std::string outcome(Verdict v, const std::string& reason, const std::string& detail,
                    const std::string& indent) {
    switch (v) {
    case Verdict::Pass:
    case Verdict::Attached: // a pass with a property (testcase() adds it)
        return {};
    case Verdict::Unsupported:
        return fmt::format("{}<skipped message=\"{}\"/>\n", indent, attr(reason));
    case Verdict::Fail:
    case Verdict::Error: {
        const char* tag = v == Verdict::Fail ? "failure" : "error";
        const std::string body = detail.empty() ? reason : reason + "\n\n" + detail;
        return fmt::format("{0}<{1} message=\"{2}\" type=\"{3}\">{4}</{1}>\n", indent, tag,
                           attr(reason), to_string(v), xml_escape(body));
    }
    }
    return {};
}

// A cell --expect knows: skipped with the expectation's reason when the verdict is the expected
// one; otherwise the verdict's element, with what was expected said in its text.
std::string expected_outcome(Verdict v, const std::string& reason, const std::string& detail,
                             const CellResult::Expected& e, const std::string& indent) {
    using enum CellResult::Expected::Outcome;
    switch (e.outcome_for(v)) {
    case Met: {
        const std::string body = detail.empty() ? reason : reason + "\n\n" + detail;
        return fmt::format("{}<skipped message=\"{}\">{}</skipped>\n", indent,
                           attr(fmt::format("expected {}: {}", to_string(v), e.reason)),
                           xml_escape(body));
    }
    case Fixed: return {}; // a pass: its system-out says the expectation is stale
    case Unmet:
        return outcome(v, reason,
                       fmt::format("expected {}: {}{}{}", to_string(e.verdict), e.reason,
                                   detail.empty() ? "" : "\n\n", detail),
                       indent);
    }
    return {};
}

std::string testcase(const std::string& classname, const std::string& name, Verdict v,
                     const std::string& reason, const std::string& detail,
                     const std::string& attachment, const LatencyStats& latency,
                     std::optional<double> time,
                     const std::optional<CellResult::Expected>& expected = std::nullopt) {
    std::string out =
        fmt::format("    <testcase classname=\"{}\" name=\"{}\"", attr(classname), attr(name));
    if (time)
        out += fmt::format(" time=\"{:.3f}\"", *time);
    std::string inner = v == Verdict::Attached
                            ? fmt::format("      <properties>\n        {}\n      </properties>\n",
                                          property("verdict", "attached"))
                            : latency_properties(latency, "      ");
    inner += expected ? expected_outcome(v, reason, detail, *expected, "      ")
                      : outcome(v, reason, detail, "      ");
    std::string out_text = attachment.empty() ? reason : reason + "\n" + attachment;
    if (expected && expected->outcome_for(v) == CellResult::Expected::Outcome::Fixed)
        out_text = fmt::format("fixed, remove the expectation (expected {}: {})\n{}",
                               to_string(expected->verdict), expected->reason, out_text);
    if (!attachment.empty() || v == Verdict::Pass || v == Verdict::Attached)
        inner += fmt::format("      <system-out>{}</system-out>\n", xml_escape(out_text));
    if (inner.empty())
        return out + "/>\n";
    return out + ">\n" + inner + "    </testcase>\n";
}

std::string suite_open(const std::string& name, const Counts& c, const RunInfo& run,
                       const std::string& kernel, const std::string& device) {
    return fmt::format("  <testsuite name=\"{}\" {} timestamp=\"{:%Y-%m-%dT%H:%M:%S}\" "
                       "hostname=\"{}\">\n"
                       "    <properties>\n      {}\n      {}\n      {}\n    </properties>\n",
                       attr(name), c.attributes(),
                       fmt::gmtime(std::chrono::system_clock::to_time_t(run.started)),
                       attr(run.host.empty() ? "localhost" : run.host), property("kernel", kernel),
                       property("device", device), property("tool_version", run.tool_version));
}

std::string choir_suite(const ChoirResult& c, const RunInfo& run, Counts& total) {
    const std::string classname = "hookmatrix." + c.kernel + "." + c.device + ".choir";
    Counts counts;
    counts.time = c.duration_s;
    std::string cases;
    if (!c.reason.empty()) {
        // It could not run at all: one test case says why.
        const Verdict v = c.unsupported ? Verdict::Unsupported : Verdict::Error;
        counts.add(v);
        cases += testcase(classname, "choir", v, c.reason, {}, {}, {}, c.duration_s);
    }
    for (const auto& voice : c.voices) {
        counts.add(voice.verdict);
        cases += testcase(classname, voice.hook, voice.verdict, voice.reason, {}, voice.attachment,
                          voice.latency, std::nullopt);
    }
    for (const auto& [hook, why] : c.left_out) {
        counts.add(Verdict::Unsupported);
        cases += testcase(classname, hook, Verdict::Unsupported, why, {}, {}, {}, std::nullopt);
    }
    std::string order;
    for (const auto& h : c.order)
        order += (order.empty() ? "" : " -> ") + h;
    std::string out =
        suite_open("choir " + c.kernel + " " + c.device, counts, run, c.kernel, c.device) + cases;
    if (!order.empty())
        out += fmt::format("    <system-out>firing order, the same for {} of {} packets: {}"
                           "</system-out>\n",
                           c.same_order, c.packets, xml_escape(order));
    total += counts;
    return out + "  </testsuite>\n";
}
} // namespace

std::string junit_xml(const RunResult& result) {
    const ReportGrid grid(result);
    Counts total;
    std::string suites;
    for (const GridColumn& col : grid.columns()) {
        const std::string classname = "hookmatrix." + col.kernel + "." + col.device;
        Counts counts;
        std::string cases;
        for (const auto& hook : grid.hooks()) {
            const CellResult* c = grid.at(hook, col);
            if (!c)
                continue;
            counts.add(c->verdict, c->expected_met());
            counts.time += c->duration_s;
            cases += testcase(classname, c->hook, c->verdict, c->reason, c->detail, c->attachment,
                              c->latency, c->duration_s, c->expected);
        }
        suites +=
            suite_open(col.kernel + " " + col.device, counts, result.run, col.kernel, col.device) +
            cases + "  </testsuite>\n";
        total += counts;
    }
    // Choirs in kernel order too, as the cells' suites above.
    std::vector<const ChoirResult*> choirs;
    for (const auto& c : result.choirs)
        choirs.push_back(&c);
    std::ranges::stable_sort(choirs, {},
                             [&](const ChoirResult* c) { return grid.axis().rank(c->kernel); });
    for (const ChoirResult* c : choirs)
        suites += choir_suite(*c, result.run, total);
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<testsuites name=\"hookmatrix\" {}>\n{}</testsuites>\n",
                       total.attributes(), suites);
}

std::unique_ptr<Reporter> make_junit_reporter(std::string path) {
    return make_file_reporter(std::move(path), [](const RunResult& r, const BaselineComparison*) {
        return junit_xml(r);
    });
}

} // namespace hm
