#pragma once
// compat.md: the compatibility table as GitHub-flavoured Markdown, for a pull request comment or
// a docs page. Hooks as rows, kernel x device as columns, a legend, a footnote with the reason
// for every cell that is not a pass, and each choir's firing order as an arrow chain.
#include "reports/reporter.h"

#include <string>

namespace hm {

// With a baseline, only the cells that changed since it (reports/markdown_changes.h).
std::string markdown_report(const RunResult& result,
                            const BaselineComparison* baseline = nullptr);

// "hookmatrix V on HOST, kernel K, started T UTC, D s: N pass, N fail, N unsupported, N error"
// and, with `attached`, ", N attached"; then ".\n\n". The run's line under either heading.
std::string markdown_run_line(const RunResult& result, bool attached);

// "✅", "❌", "⚠️ error", "➖ unsupported", "🔗 attached": a verdict in a table cell.
std::string_view verdict_symbol(Verdict v);

// Writes markdown_report(result) to `path` (atomically) when the run ends.
std::unique_ptr<Reporter> make_markdown_reporter(std::string path);

} // namespace hm
