#pragma once
// report.html: one self-contained page that opens offline from a CI artifact. The run, the
// compatibility table (verdict colours, reasons on hover and folded out), a latency chart per
// device (Chart.js, inlined at build time) and each choir's firing order. The markup comes from
// reports/html_template.html; every string from the results is escaped.
#include "reports/reporter.h"

#include <string>

namespace hm {

// With a baseline, a "Changes since baseline" section below the rest (reports/html_changes.h).
std::string html_report(const RunResult& result, const BaselineComparison* baseline = nullptr);

// Writes html_report(result) to `path` (atomically) when the run ends.
std::unique_ptr<Reporter> make_html_reporter(std::string path);

} // namespace hm
