// hookmatrix report RESULTS.json... [--html F] [--junit F] [--markdown F] [--since]
// [--baseline BASE.json]:
// the reports `hookmatrix run` writes, made again from saved results, one file or several joined
// (runs on different kernels or machines side by side), optionally compared with a baseline.
#include "cli/commands.h"
#include "cli/exit.h"
#include "matrix/compare/baseline.h"
#include "matrix/results/expectations.h"
#include "matrix/results/kernel_axis.h"
#include "matrix/results/results_json.h"
#include "reports/diff_report.h"
#include "reports/html_reporter.h"
#include "reports/junit_reporter.h"
#include "reports/markdown_reporter.h"
#include "reports/since_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <tuple>

namespace hm::cli {

namespace {
struct ReportArgs {
    std::vector<std::string> inputs;
    std::string html, junit, markdown;
    BaselineOptions baseline;
    std::string expect; // --expect FILE: known outcomes, in place of the files' own marks
    bool since = false; // --since: the since view as text on stdout
};

void add_distinct(std::string& list, const std::string& item, const char* sep = ", ") {
    if (item.empty())
        return;
    for (std::size_t pos = 0; pos <= list.size();) {
        const std::size_t end = std::min(list.find(sep, pos), list.size());
        if (list.compare(pos, end - pos, item) == 0 && end - pos == item.size())
            return;
        pos = end + std::char_traits<char>::length(sep);
    }
    list += (list.empty() ? "" : sep) + item;
}

// Several results files as one: cells and choirs concatenated in file order; the run's fields
// list each distinct value. The same cell (or choir) in two files is an error naming both. Each
// file's cells are marked with `expect` against the names its own run gave its kernels.
Result<RunResult> join(const std::vector<std::string>& paths, const Expectations* expect) {
    RunResult all;
    std::map<std::tuple<std::string, std::string, std::string>, std::string> cell_from;
    std::map<std::pair<std::string, std::string>, std::string> choir_from;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        auto r = read_results_file(paths[i]);
        if (!r)
            return r;
        if (expect)
            mark_expected(*r, *expect);
        for (auto& c : r->cells) {
            auto [it, fresh] = cell_from.emplace(std::tuple{c.hook, c.device, c.kernel}, paths[i]);
            if (!fresh)
                return fail(fmt::format("{}: cell {} on {} (kernel {}) is also in {}; give each "
                                        "cell once",
                                        paths[i], c.hook, c.device, c.kernel, it->second));
            all.cells.push_back(std::move(c));
        }
        for (auto& c : r->choirs) {
            auto [it, fresh] = choir_from.emplace(std::pair{c.device, c.kernel}, paths[i]);
            if (!fresh)
                return fail(fmt::format("{}: the choir on {} (kernel {}) is also in {}; give each "
                                        "choir once",
                                        paths[i], c.device, c.kernel, it->second));
            all.choirs.push_back(std::move(c));
        }
        RunInfo& run = all.run;
        if (i == 0) {
            run = r->run;
            continue;
        }
        // Which kernel was the host and which a TCG guest: the reports mark emulated latencies.
        for (const KernelRun& k : r->run.kernel_runs)
            if (std::ranges::none_of(run.kernel_runs, [&](const KernelRun& o) {
                    return o.name == k.name && o.release == k.release;
                }))
                run.kernel_runs.push_back(k);
        add_distinct(run.tool_version, r->run.tool_version);
        add_distinct(run.libbpf_version, r->run.libbpf_version);
        add_distinct(run.host, r->run.host);
        add_distinct(run.kernel_release, r->run.kernel_release);
        add_distinct(run.command_line, r->run.command_line, "; ");
        run.started = std::min(run.started, r->run.started);
        run.duration_s += r->run.duration_s;
        run.packets_per_cell = std::max(run.packets_per_cell, r->run.packets_per_cell);
    }
    sort_kernel_runs(all.run.kernel_runs);
    return all;
}

int report(const ReportArgs& args) {
    if (args.html.empty() && args.junit.empty() && args.markdown.empty() && !args.since) {
        std::cerr << "hookmatrix report: nothing to write; give at least one of --html FILE, "
                     "--junit FILE, --markdown FILE, --since\n";
        return exit_code::usage;
    }
    std::optional<Expectations> expect;
    if (!args.expect.empty()) {
        auto e = load_expectations(args.expect);
        if (!e)
            return complain("report", "--expect: " + e.error().message(), exit_code::usage);
        expect = std::move(*e);
    }
    auto result = join(args.inputs, expect ? &*expect : nullptr);
    if (!result) {
        return complain("report", result.error().message(), exit_code::usage);
    }
    // With --history, the nights that started before these results, never themselves.
    auto baseline = load_baseline(args.baseline, nullptr, &*result);
    if (!baseline) {
        return complain("report", baseline.error().message(), exit_code::usage);
    }
    std::optional<BaselineComparison> comparison;
    if (*baseline) {
        std::string inputs;
        for (const auto& file : args.inputs)
            inputs += (inputs.empty() ? "" : ", ") + file;
        auto c = compare_with_baseline(**baseline, *result, inputs);
        if (!c) {
            return complain("report", "--baseline: " + c.error().message(), exit_code::usage);
        }
        comparison = std::move(*c);
    }
    // The same reporters `hookmatrix run` uses, replayed over the saved results.
    Reporters reporters;
    if (!args.html.empty())
        reporters.add(make_html_reporter(args.html));
    if (!args.junit.empty())
        reporters.add(make_junit_reporter(args.junit));
    if (!args.markdown.empty())
        reporters.add(make_markdown_reporter(args.markdown));
    reporters.begin(result->run, result->cells.size());
    for (const auto& c : result->cells)
        reporters.cell(c);
    for (const auto& c : result->choirs)
        reporters.choir(c);
    if (comparison)
        reporters.baseline(*comparison);
    if (auto s = reporters.end(*result); !s) {
        return complain("report", s.error().message(), exit_code::environment);
    }
    if (args.since)
        std::cout << since_text(*result);
    if (comparison)
        std::cout << "since " << comparison->sides.base_source << ": "
                  << summary_line(comparison->diff.summary) << "\n";
    const bool choirs_ok = std::ranges::all_of(result->choirs, &ChoirResult::ok);
    if (comparison && comparison->diff.has_regression())
        return exit_code::regression;
    return summarize(result->cells).ok() && choirs_ok ? exit_code::ok : exit_code::cells_failed;
}
} // namespace

Action add_report_command(CLI::App& sub) {
    auto args = std::make_shared<ReportArgs>();
    sub.add_option("results", args->inputs,
                   "results.json files; several are joined (each cell may appear in only one)")
        ->required()
        ->type_name("RESULTS.json");
    sub.add_option("--html", args->html, "write the self-contained HTML report to this file")
        ->type_name("FILE");
    sub.add_option("--junit", args->junit, "write JUnit XML to this file")->type_name("FILE");
    sub.add_option("--markdown", args->markdown,
                   "write the compatibility table as GitHub-flavoured Markdown to this file")
        ->type_name("FILE");
    sub.add_flag("--since", args->since,
                 "print, per hook and device, since which kernel of the results it works, the "
                 "last kernel before where it did not, and any later kernel that lost it (a "
                 "regression in support); kernels in version order");
    add_baseline_options(sub, args->baseline, /*with_history=*/true);
    sub.add_option("--expect", args->expect,
                   "known outcomes (as 'run --expect'): mark the cells with them, in place of "
                   "the marks the files carry from their runs")
        ->type_name("FILE");
    sub.footer("Example: hookmatrix report out-6.1/results.json out-6.6/results.json "
               "--html report.html --markdown compat.md\n"
               "Example: hookmatrix report across-kernels/results.json --since\n"
               "Example: hookmatrix report tonight/results.json --baseline last-night/results.json "
               "--html report.html --markdown changes.md\n"
               "  report.html gets a \"Changes since baseline\" section below the rest, and\n"
               "  changes.md lists only the cells whose verdict changed or whose latency moved\n"
               "  significantly by more than --threshold (the comparison of 'hookmatrix diff').\n"
               "Exit code 0 when every cell is pass or unsupported, 1 when one is fail or error\n"
               "or, with --baseline, a cell regressed (the reports are written either way), 2 on\n"
               "bad input, including a baseline with no cell in common.");
    return [args](const std::string&) { return report(*args); };
}

} // namespace hm::cli
