// hookmatrix bench: per cell, how many packets per second the hook's program sees under load and
// what each costs, apart from run's trigger latency; and the xdpdrv / xdpgeneric ratio.
#include "cli/commands.h"
#include "cli/exit.h"
#include "cli/root_mode.h"
#include "cli/stop_signals.h"
#include "core/atomic_file.h"
#include "core/cpu_pin.h"
#include "reports/console_reporter.h"
#include "reports/html_reporter.h"
#include "reports/json_reporter.h"
#include "runners/programs/throughput_counter.h"
#include "runners/throughput_run.h"

#include <filesystem>
#include <iostream>

namespace hm::cli {

namespace {
struct BenchArgs {
    SelectionOptions selection;
    // The defaults are ThroughputOptions' (runners/throughput_cell.h).
    double seconds = static_cast<double>(ThroughputOptions{}.window.count()) / 1e3;
    unsigned windows = ThroughputOptions{}.windows;
    std::string action = "drop";
    std::string out_dir = "hookmatrix-out";
    std::optional<int> cpu; // the generator's CPU
    bool no_html = false;
    bool no_xdp_bench = false;
};

// Everything the command line says, checked before anything is created or changed.
Result<ThroughputRequest> validate(const BenchArgs& args) {
    auto plan = plan_cells(args.selection);
    if (!plan)
        return std::unexpected(plan.error());
    // Guests measure their own virtual CPUs, not the hook: bench stays on the running kernel
    // until the VM runner can pin and count inside a guest.
    for (const Cell& c : plan->cells)
        if (c.kernel != "host")
            return fail("kernel '" + c.kernel +
                        "': bench measures the running kernel only (--kernels host)");
    // Without --hooks, only the hooks bench can drive: the rest would all read unsupported.
    if (args.selection.hooks.empty())
        std::erase_if(plan->cells, [](const Cell& c) {
            std::string why;
            return !throughput_supports(*c.hook, why);
        });
    return ThroughputRequest{
        .cells = std::move(plan->cells),
        .options = {.window = std::chrono::milliseconds(static_cast<long>(args.seconds * 1000)),
                    .windows = args.windows,
                    .action = args.action == "pass" ? CounterAction::Pass : CounterAction::Drop},
        .xdp_bench = !args.no_xdp_bench};
}

int bench(const BenchArgs& args, const std::string& command_line) {
    auto req = validate(args);
    if (!req)
        return complain("bench", req.error().message(), exit_code::usage);
    auto cpus = plan_cpus(args.cpu);
    if (!cpus)
        return complain("bench", "--cpu: " + cpus.error().message(), exit_code::usage);
    if (auto s = enter_as_root("bench"); !s)
        return complain("bench", s.error().message(), exit_code::environment);
    if (auto pinned = pin_to_one_cpu(cpus->control); !pinned)
        return complain("bench", pinned.error().message(), exit_code::environment);
    if (auto made = make_output_dir(args.out_dir); !made)
        return complain("bench", made.error().message(), exit_code::usage);
    req->info = describe_this_run(command_line);
    req->info.cpu = cpus->generator;
    req->options.generator_cpu = cpus->generator;
    req->options.cpu_layout = cpus->layout;
    const std::filesystem::path out(args.out_dir);
    Reporters reporters;
    reporters.add(make_json_reporter((out / "results.json").string()));
    if (!args.no_html)
        reporters.add(make_html_reporter((out / "report.html").string()));
    reporters.add(make_throughput_console_reporter(std::cout, (out / "results.json").string()));
    auto outcome = run_throughput(*req, reporters, stop_on_signals());
    if (!outcome.written)
        return complain("bench", outcome.written.error().message(), exit_code::environment);
    if (outcome.interrupted) {
        std::cerr << "hookmatrix bench: interrupted after " << outcome.result.throughput.size()
                  << " of " << req->cells.size() << " cells\n";
        return exit_code::interrupted;
    }
    return outcome.ok() ? exit_code::ok : exit_code::cells_failed;
}
} // namespace

Action add_bench_command(CLI::App& sub) {
    auto args = std::make_shared<BenchArgs>();
    add_selection_options(sub, args->selection);
    sub.add_option("--seconds", args->seconds, "length of each measured window, in seconds")
        ->capture_default_str()
        ->check(CLI::Range(0.05, 600.0));
    sub.add_option("--windows", args->windows,
                   "measured windows per cell: `hookmatrix diff` compares two runs by these "
                   "samples")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    sub.add_option("--action", args->action,
                   "what the counting program does with every packet after counting it")
        ->capture_default_str()
        ->check(CLI::IsMember({"drop", "pass"}));
    sub.add_option("-o,--output", args->out_dir, "directory for results.json and report.html")
        ->capture_default_str();
    sub.add_option("--cpu", args->cpu,
                   "the CPU the generator (and so the receive path) runs on (default: the "
                   "highest-numbered CPU hookmatrix may use); hookmatrix's own thread takes "
                   "another")
        ->check(CLI::NonNegativeNumber);
    sub.add_flag("--no-html", args->no_html, "do not write report.html");
    sub.add_flag("--no-xdp-bench", args->no_xdp_bench,
                 "skip the cross-check with xdp-bench (xdp-tools) even when it is installed");
    sub.footer(
        "Examples:\n"
        "  hookmatrix bench --hooks xdpgeneric,xdpdrv,tc-ingress --devices veth -o out\n"
        "  hookmatrix bench --devices veth,lo --seconds 2 --windows 10 --action pass\n"
        "Each cell builds namespaces 'near' (device under test) and 'far', attaches a program\n"
        "that counts every packet and then drops (or passes) it, and sends 60-byte UDP frames\n"
        "from far as fast as one CPU can (AF_PACKET, sendmmsg, PACKET_QDISC_BYPASS). Packets\n"
        "per second are what the program counted; ns per packet is the busy time of the\n"
        "generator's CPU (/proc/stat) over the counted packets. Without --hooks, only the\n"
        "hooks bench can drive are taken:\n"
        "the ingress XDP, tc and tcx hooks. When xdpdrv and xdpgeneric both ran on a device,\n"
        "their ratio is printed, beside xdp-bench's own when xdp-bench is installed.\n"
        "Compare two bench runs: hookmatrix diff base/results.json out/results.json\n"
        "Exit codes: 0 every cell measured or unsupported; 1 a cell failed or errored;\n"
        "2 bad usage; 3 cannot run here (not root).");
    return [args](const std::string& command_line) { return bench(*args, command_line); };
}

} // namespace hm::cli
