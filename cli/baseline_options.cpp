#include "cli/commands.h"

#include "matrix/results/history_files.h"
#include "matrix/results/results_json.h"

#include <fmt/format.h>

namespace hm::cli {

void add_baseline_options(CLI::App& sub, BaselineOptions& opts, bool with_history) {
    auto* baseline =
        sub.add_option("--baseline", opts.file,
                       "compare with this earlier results.json as 'hookmatrix diff BASE NEW' "
                       "does: report.html gets a \"Changes since baseline\" section, compat.md "
                       "lists only the cells that changed, and a regression makes the exit code 1")
            ->type_name("BASE.json");
    if (with_history) {
        auto* history =
            sub.add_option("--history", opts.history,
                           "compare with the newest nights of this folder of earlier results "
                           "(any *.json, or DIR/*/results.json) as 'hookmatrix diff --history' "
                           "does: a cell regresses only when it stands out of the spread its own "
                           "history shows; otherwise as --baseline")
                ->type_name("DIR")
                ->excludes(baseline);
        sub.add_option("--nights", opts.nights, "with --history: the newest N nights to judge by")
            ->capture_default_str()
            ->check(CLI::Range(1, 100))
            ->needs(history);
        sub.add_option("--spread", opts.spread,
                       "with --history: how many times its own night-to-night spread a cell must "
                       "move to count (as 'hookmatrix diff --spread')")
            ->capture_default_str()
            ->check(CLI::Range(0.0, 100.0))
            ->needs(history);
    }
    sub.add_option("--threshold", opts.threshold,
                   "with --baseline or --history: how large a latency change must be to count, a "
                   "share of the base median (10%) or a time (500ns, 2us)")
        ->capture_default_str();
    sub.add_option("--alpha", opts.alpha,
                   "with --baseline or --history: significance level of the Mann-Whitney U test "
                   "on the per-packet latencies")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
}

Result<std::optional<Baseline>> load_baseline(const BaselineOptions& opts, std::string* note,
                                              const RunResult* tonight) {
    if (opts.file.empty() && opts.history.empty()) {
        if (opts.threshold != CompareOptions{}.threshold.text() ||
            opts.alpha != CompareOptions{}.alpha)
            return fail("--threshold and --alpha need --baseline or --history: what they judge");
        return std::nullopt;
    }
    auto threshold = parse_threshold(opts.threshold);
    if (!threshold)
        return fail("--threshold: " + threshold.error().message());
    Baseline base{.source = opts.file.empty() ? opts.history : opts.file,
                  .options = {.compare = {.threshold = *threshold,
                                          .alpha = opts.alpha,
                                          .relative_to_run = true},
                              .spread_factor = opts.spread}};
    if (!opts.file.empty()) {
        auto run = read_results_file(opts.file);
        if (!run)
            return fail("--baseline: " + run.error().message());
        base.nights.push_back({opts.file, std::move(*run)});
        return base;
    }
    auto nights = load_history(opts.history, opts.nights, tonight);
    if (!nights)
        return std::unexpected(nights.error());
    if (nights->empty()) {
        if (note)
            *note = "--history " + opts.history + " holds no results yet: nothing to compare with";
        return std::nullopt;
    }
    base.nights = std::move(*nights);
    return base;
}

} // namespace hm::cli
