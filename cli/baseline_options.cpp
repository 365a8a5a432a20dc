#include "cli/commands.h"

#include "matrix/results/results_json.h"

namespace hm::cli {

void add_baseline_options(CLI::App& sub, BaselineOptions& opts) {
    auto* baseline =
        sub.add_option("--baseline", opts.file,
                       "compare with this earlier results.json as 'hookmatrix diff BASE NEW' "
                       "does: report.html gets a \"Changes since baseline\" section, compat.md "
                       "lists only the cells that changed, and a regression makes the exit code 1")
            ->type_name("BASE.json");
    sub.add_option("--threshold", opts.threshold,
                   "with --baseline: how large a latency change must be to count, a share of the "
                   "base median (10%) or a time (500ns, 2us)")
        ->capture_default_str()
        ->needs(baseline);
    sub.add_option("--alpha", opts.alpha,
                   "with --baseline: significance level of the Mann-Whitney U test on the "
                   "per-packet latencies")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0))
        ->needs(baseline);
}

Result<std::optional<Baseline>> load_baseline(const BaselineOptions& opts) {
    if (opts.file.empty())
        return std::nullopt;
    auto threshold = parse_threshold(opts.threshold);
    if (!threshold)
        return fail("--threshold: " + threshold.error().message());
    auto run = read_results_file(opts.file);
    if (!run)
        return fail("--baseline: " + run.error().message());
    return Baseline{.source = opts.file,
                    .run = std::move(*run),
                    .options = {.threshold = *threshold,
                                .alpha = opts.alpha,
                                .relative_to_run = true}};
}

} // namespace hm::cli
