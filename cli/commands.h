#pragma once
// Each subcommand is one entry: it declares its options on a CLI11 sub-app and returns the
// function that runs it once parsing succeeded, given the command line as typed (for
// results.json).
#include "core/error.h"
#include "matrix/compare/baseline.h"
#include "matrix/enumerate.h"
#include "matrix/results/result.h"

#include <CLI/CLI.hpp>

#include <functional>

namespace hm::cli {

using Action = std::function<int(const std::string& command_line)>;

Action add_run_command(CLI::App& app);
Action add_list_command(CLI::App& app);
Action add_probe_command(CLI::App& app);
Action add_diff_command(CLI::App& app);
Action add_merge_command(CLI::App& app);
Action add_report_command(CLI::App& app);
Action add_bench_command(CLI::App& app);
Action add_kernels_command(CLI::App& app);

// The run's description as far as this machine and moment give it: versions, host, kernel,
// start time.
RunInfo describe_this_run(std::string command_line);

// Shared option groups, so every subcommand spells the matrix selection the same way.
struct SelectionOptions {
    std::string spec; // a spec file; empty: the default spec
    std::string hooks, devices;
    std::string kernels; // replaces the spec's kernel axis
};
void add_selection_options(CLI::App& sub, SelectionOptions& opts);

// The cells the options select: the spec's, narrowed by --hooks/--devices. Errors are usage errors.
Result<Plan> plan_cells(const SelectionOptions& opts);

// --baseline BASE.json (and, where `with_history`, --history DIR --nights N), with diff's
// --threshold and --alpha: `run` and `report` compare their results with BASE, or with the
// history's newest nights, the way `hookmatrix diff` does, same options, same defaults.
struct BaselineOptions {
    std::string file;    // empty: no baseline
    std::string history; // empty: no history
    std::size_t nights = kHistoryNights;
    double spread = HistoryOptions{}.spread_factor;
    std::string threshold = CompareOptions{}.threshold.text();
    double alpha = CompareOptions{}.alpha;
};
void add_baseline_options(CLI::App& sub, BaselineOptions& opts, bool with_history = false);

// nullopt without --baseline or --history, or when the history holds no night yet (`note` then
// says so); an Error (a usage error) for a bad file, folder or threshold.
// `tonight`: the results the baseline is for, when they exist already: a history then holds only
// the nights that started before them.
Result<std::optional<Baseline>> load_baseline(const BaselineOptions& opts,
                                              std::string* note = nullptr,
                                              const RunResult* tonight = nullptr);

std::string tool_version();

// What `run` and `bench` take besides their options: a --results-port that is a serial port
// (cli/guest_inputs.cpp) and a $HOOKMATRIX_IPTABLES that is root's own iptables.
Status check_run_environment(const std::string& results_port);

} // namespace hm::cli
