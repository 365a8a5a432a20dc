// hookmatrix merge A.json B.json... -o DIR: shards, or runs from several machines, joined into
// DIR/results.json.
#include "cli/commands.h"
#include "cli/exit.h"
#include "core/atomic_file.h"
#include "matrix/results/expectations.h"
#include "matrix/results/merge.h"
#include "matrix/results/results_json.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

namespace hm::cli {

namespace {
struct MergeArgs {
    std::vector<std::string> files;
    std::string out_dir;
    std::string expect; // --expect FILE: known outcomes, marked on the merged cells
};

int merge(const MergeArgs& args) {
    std::optional<Expectations> expect;
    if (!args.expect.empty()) {
        auto e = load_expectations(args.expect);
        if (!e)
            return complain("merge", "--expect: " + e.error().message(), exit_code::usage);
        expect = std::move(*e);
    }
    std::vector<MergeInput> inputs;
    for (const auto& file : args.files) {
        auto run = read_results_file(file);
        if (!run) {
            return complain("merge", run.error().message(), exit_code::usage);
        }
        inputs.push_back({file, std::move(*run)});
    }
    std::string command = "hookmatrix merge";
    for (const auto& file : args.files)
        command += " " + file;
    command += " -o " + args.out_dir;
    auto merged = merge_runs(inputs, command);
    if (!merged) {
        return complain("merge", merged.error().message(), exit_code::usage);
    }
    // After the merge, whose kernel_runs name every input's kernels.
    if (expect)
        mark_expected(*merged, *expect);
    if (auto made = make_output_dir(args.out_dir); !made)
        return complain("merge", made.error().message(), exit_code::usage);
    const std::string path = (std::filesystem::path(args.out_dir) / "results.json").string();
    if (auto s = write_file_atomically(path, json_text(to_json(*merged)) + "\n"); !s) {
        return complain("merge", s.error().message(), exit_code::environment);
    }
    const Summary sum = summarize(merged->cells);
    std::cout << "merged " << merged->cells.size() << " cells and " << merged->choirs.size()
              << " choirs from " << inputs.size() << " files: " << sum.pass << " pass, "
              << sum.fail << " fail, " << sum.unsupported << " unsupported, " << sum.error
              << " error" << (sum.expected ? ", " + std::to_string(sum.expected) + " expected" : "")
              << (sum.fixed ? ", " + std::to_string(sum.fixed) + " fixed" : "")
              << "\nresults: " << path << "\n";
    for (const std::string& line : fixed_lines(merged->cells))
        std::cout << line << "\n";
    const bool choirs_ok = std::ranges::all_of(merged->choirs, &ChoirResult::ok);
    return sum.ok() && choirs_ok ? exit_code::ok : exit_code::cells_failed;
}
} // namespace

Action add_merge_command(CLI::App& sub) {
    auto args = std::make_shared<MergeArgs>();
    sub.add_option("files", args->files, "results.json files: shards of one run, or runs from "
                                         "several machines or kernels")
        ->required()
        ->type_name("RESULTS.json");
    sub.add_option("-o,--output", args->out_dir, "directory for the merged results.json")
        ->required();
    sub.add_option("--expect", args->expect,
                   "known outcomes (as 'run --expect'): mark the merged cells with them, in place "
                   "of the marks the inputs carry; a cell with its expected verdict fails nothing")
        ->type_name("FILE");
    sub.footer(
        "Cells are listed in hook, then device, then kernel order; a cell (hook, device, kernel)\n"
        "or a choir (device, kernel) found twice is an error naming both files.\n"
        "Exit codes: 0 every merged cell is pass or unsupported (or the verdict --expect\n"
        "expects of it); 1 a merged cell is fail or error; 2 bad input (nothing is written).\n"
        "Example: hookmatrix merge shard1/results.json shard2/results.json -o merged");
    return [args](const std::string&) { return merge(*args); };
}

} // namespace hm::cli
