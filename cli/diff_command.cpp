// hookmatrix diff BASE.json NEW.json | diff RESULTS.json --kernels A,B: what changed, per cell.
#include "cli/commands.h"
#include "cli/exit.h"
#include "matrix/compare/throughput_compare.h"
#include "matrix/compare/baseline.h"
#include "matrix/compare/compare.h"
#include "matrix/enumerate.h"
#include "reports/throughput_diff_report.h"
#include "reports/diff_report.h"
#include "matrix/results/expectations.h"
#include "matrix/results/history_files.h"
#include "matrix/results/results_json.h"

#include <iostream>

namespace hm::cli {

namespace {
struct DiffArgs {
    std::vector<std::string> files; // BASE [NEW]
    std::string kernels;            // "A,B"
    std::string history;            // --history DIR: NEW.json against the folder's newest nights
    std::size_t nights = kHistoryNights;
    std::string threshold = "10%";
    double alpha = 0.01;
    std::string normalize;          // "run", "none"; empty: run for two files, none for --kernels
    std::string steady = "auto";    // every quarter of the packets must differ too
    double spread = HistoryOptions{}.spread_factor; // --history: times the cell's own spread
    bool json = false;
    bool markdown = false;
    std::string expect; // --expect FILE: known outcomes, marked on the new side's cells
};

int usage_error(const std::string& message) {
    return complain("diff", message, exit_code::usage);
}

struct DiffPlan {
    CompareOptions options;
    std::vector<std::string> kernels; // A,B with --kernels
    std::optional<Expectations> expect;
};

Result<DiffPlan> validate(const DiffArgs& args) {
    auto threshold = parse_threshold(args.threshold);
    if (!threshold)
        return fail("--threshold: " + threshold.error().message());
    if (!args.normalize.empty() && args.normalize != "run" && args.normalize != "none")
        return fail("--normalize '" + args.normalize + "': expected run or none");
    const bool relative = args.normalize.empty() ? args.kernels.empty() : args.normalize == "run";
    DiffPlan plan{.options = {.threshold = *threshold,
                              .alpha = args.alpha,
                              .relative_to_run = relative,
                              .steady = args.steady != "no"}};
    if (!args.kernels.empty()) {
        plan.kernels = split_list(args.kernels);
        if (plan.kernels.size() != 2)
            return fail("--kernels '" + args.kernels + "' is not two kernels A,B");
    } else if (args.files.size() == 1 && args.history.empty()) {
        return fail("one results file needs --kernels A,B (the two kernels in it to compare) or "
                    "--history DIR (the nights to judge it against); or give BASE.json NEW.json");
    }
    if (!args.history.empty() && (args.files.size() != 1 || !args.kernels.empty()))
        return fail("--history DIR judges one NEW.json against the folder's nights: give one "
                    "file and no --kernels");
    if (!args.expect.empty()) {
        auto expect = load_expectations(args.expect);
        if (!expect)
            return fail("--expect: " + expect.error().message());
        plan.expect = std::move(*expect);
    }
    return plan;
}

// bench figures (hookmatrix bench) are compared beside the cells, when both sides have them.
std::optional<ThroughputDiff> compare_throughput_of(const std::vector<RunResult>& runs,
                                                    const DiffPlan& plan) {
    if (runs.front().throughput.empty() || runs.back().throughput.empty())
        return std::nullopt;
    auto on = [&](const RunResult& r, std::size_t k) {
        std::vector<ThroughputResult> out;
        for (const auto& b : r.throughput)
            if (plan.kernels.empty() || b.kernel == plan.kernels[k])
                out.push_back(b);
        return out;
    };
    return compare_throughput(on(runs.front(), 0), on(runs.back(), 1), plan.kernels.empty(),
                              plan.options);
}

// Files of bench figures alone have no cells to compare.
int print_throughput_only(const DiffArgs& args, const ThroughputDiff& bench) {
    if (args.json)
        std::cout << json_text(nlohmann::ordered_json{{"schema", kDiffSchema},
                                            {"base", {{"source", args.files.front()}}},
                                            {"new", {{"source", args.files.back()}}},
                                            {"regression", bench.regressions > 0},
                                            {"bench", throughput_diff_to_json(bench)}})
                  << "\n";
    else if (args.markdown)
        std::cout << throughput_diff_to_markdown(bench);
    else
        std::cout << throughput_diff_to_text(bench);
    return bench.regressions ? exit_code::regression : exit_code::ok;
}

int print(const DiffArgs& args, const Diff& result, const DiffSides& sides,
          const std::optional<ThroughputDiff>& bench) {
    if (args.json) {
        auto j = diff_to_json(result, sides);
        if (bench) {
            j["bench"] = throughput_diff_to_json(*bench);
            j["regression"] = j["regression"].get<bool>() || bench->regressions > 0;
        }
        std::cout << json_text(j) << "\n";
    } else if (args.markdown) {
        std::cout << diff_to_markdown(result, sides)
                  << (bench ? throughput_diff_to_markdown(*bench) : std::string());
    } else {
        std::cout << diff_to_text(result, sides)
                  << (bench ? throughput_diff_to_text(*bench) : std::string());
    }
    const bool throughput_regressed = bench && bench->regressions > 0;
    return result.has_regression() || throughput_regressed ? exit_code::regression
                                                           : exit_code::ok;
}

// NEW.json against the newest nights of a history folder that started before it.
int diff_history(const DiffArgs& args, const DiffPlan& plan) {
    auto tonight = read_results_file(args.files.front());
    if (!tonight)
        return usage_error(tonight.error().message());
    if (plan.expect)
        mark_expected(*tonight, *plan.expect);
    auto nights = load_history(args.history, args.nights, &*tonight);
    if (!nights)
        return usage_error(nights.error().message());
    if (nights->empty())
        return usage_error("--history " + args.history + ": no run there started before " +
                           args.files.front());
    const Baseline base{.source = args.history,
                        .nights = std::move(*nights),
                        .options = {.compare = plan.options,
                                    .spread_factor = args.spread,
                                    .steady_in_history = args.steady == "yes"}};
    auto c = compare_with_baseline(base, *tonight, args.files.front());
    if (!c)
        return usage_error(c.error().message());
    return print(args, c->diff, c->sides, std::nullopt);
}

int diff(const DiffArgs& args) {
    auto plan = validate(args);
    if (!plan)
        return usage_error(plan.error().message());
    if (!args.history.empty())
        return diff_history(args, *plan);
    std::vector<RunResult> runs;
    for (const auto& file : args.files) {
        auto run = read_results_file(file);
        if (!run)
            return usage_error(run.error().message());
        // Both sides, though only the new side's marks count: with --kernels one file is both.
        if (plan->expect)
            mark_expected(*run, *plan->expect);
        runs.push_back(std::move(*run));
    }
    const std::string& base_file = args.files.front();
    const std::string& new_file = args.files.back();
    const auto bench = compare_throughput_of(runs, *plan);
    if (bench && runs.front().cells.empty() && runs.back().cells.empty())
        return print_throughput_only(args, *bench);
    DiffSides sides{.base_source = base_file, .new_source = new_file};
    std::vector<CellResult> base = runs.front().cells, now = runs.back().cells;
    if (!plan->kernels.empty()) {
        // Within one file, or BASE's kernel A against NEW's kernel B.
        auto b = cells_on_kernel(runs.front(), plan->kernels[0]);
        if (!b)
            return usage_error(base_file + ": " + b.error().message());
        auto n = cells_on_kernel(runs.back(), plan->kernels[1]);
        if (!n)
            return usage_error(new_file + ": " + n.error().message());
        base = std::move(*b);
        now = std::move(*n);
        sides.base_kernel = plan->kernels[0];
        sides.new_kernel = plan->kernels[1];
    }
    auto result =
        compare_cells(base, now, plan->kernels.empty(), plan->options, base_file, new_file);
    if (!result)
        return usage_error(result.error().message());
    return print(args, *result, sides, bench);
}
} // namespace

Action add_diff_command(CLI::App& sub) {
    auto args = std::make_shared<DiffArgs>();
    sub.add_option("files", args->files,
                   "BASE.json NEW.json; or one RESULTS.json with --kernels or --history")
        ->required()
        ->expected(1, 2)
        ->type_name("RESULTS.json");
    sub.add_option("--kernels", args->kernels,
                   "compare kernel A's cells with kernel B's, matched by hook and device: both "
                   "in one file, or A from BASE.json and B from NEW.json")
        ->type_name("A,B");
    auto* history =
        sub.add_option("--history", args->history,
                       "judge NEW.json against the newest nights of this folder of earlier "
                       "results (any *.json, or DIR/*/results.json, ordered by their start): a "
                       "cell regresses only when it is slower than every night (one odd night "
                       "of five or more aside) and beyond the spread its own nights show; a "
                       "change that began on an earlier night and held is reported with that "
                       "night, once")
            ->type_name("DIR");
    sub.add_option("--nights", args->nights, "with --history: the newest N nights to judge by")
        ->capture_default_str()
        ->check(CLI::Range(1, 100))
        ->needs(history);
    sub.add_option("--spread", args->spread,
                   "with --history: how many times its own night-to-night spread (the median "
                   "shift between consecutive nights of the window, against its neighbours or "
                   "the whole run, whichever is smaller) a cell must move to count")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 100.0))
        ->needs(history);
    sub.add_option("--threshold", args->threshold,
                   "how large a latency change must be to count: a share of the base median "
                   "(10%) or a time (500ns, 2us)")
        ->capture_default_str();
    sub.add_option("--alpha", args->alpha,
                   "significance level of the Mann-Whitney U test on the per-packet latencies")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    sub.add_option("--normalize", args->normalize,
                   "run: judge each cell against the shift the whole run shows (the median over "
                   "its cells), so a machine that is slower today is not a regression of every "
                   "hook; none: compare absolute latencies. Default: run for two files, none "
                   "with --kernels (one machine, one run)")
        ->type_name("run|none");
    sub.add_option("--steady", args->steady,
                   "yes: a latency change counts only when every quarter of the new packets (in "
                   "send order) differs from every quarter of the base's beyond the threshold, "
                   "not only the whole; no: the whole is enough; auto: yes for two files (and a "
                   "history of one night), no for a history, whose spread test does that job")
        ->capture_default_str()
        ->check(CLI::IsMember({"yes", "no", "auto"}));
    auto* json = sub.add_flag("-j,--json", args->json, "print JSON (schema hookmatrix-diff/2)");
    sub.add_flag("--markdown", args->markdown, "print a GitHub-flavoured Markdown table")
        ->excludes(json);
    sub.add_option("--expect", args->expect,
                   "known outcomes (as 'run --expect'): a verdict change into the verdict this "
                   "file expects of the new side's cell is 'expected', not a regression; the "
                   "marks NEW.json carries from its run give way to this file's")
        ->type_name("FILE");
    sub.footer(
        "A verdict change pass -> fail/error or pass -> unsupported is a regression. A latency\n"
        "change is a regression only when it is significant (p < alpha), larger than the\n"
        "threshold (the Hodges-Lehmann shift of the per-packet samples) and steady (every\n"
        "quarter of the new packets against every quarter of the base's, in send order).\n"
        "With --history, tonight must be slower than every night of the window and move more\n"
        "than --spread times the cell's own night-to-night spread (docs/benchmarks.md has how\n"
        "often that cries wolf and how often it sees +10/20/50% on one cell).\n"
        "bench figures (hookmatrix bench) are compared too: a rate change counts when the medians\n"
        "differ by more than the threshold and no window of one run overlaps the other's\n"
        "(exact p = 2/C(n+m,n); 5 windows a side give 0.008).\n"
        "Exit codes: 0 no regression; 1 a regression; 2 bad input (the error names the file).\n"
        "Example: hookmatrix diff last-night/results.json out/results.json --threshold 10%\n"
        "Example: hookmatrix diff --history nights/ tonight/results.json   # the nightly way");
    return [args](const std::string&) { return diff(*args); };
}

} // namespace hm::cli
