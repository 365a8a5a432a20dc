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
#include "runners/kernels/guest_results.h"
#include "runners/kernels/kernel_cache.h"
#include "runners/programs/throughput_counter.h"
#include "runners/throughput_run.h"

#include <cstdlib>
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
    std::string source = "both";
    std::optional<double> source_max_pps;
    std::string xdp_bench; // the xdp-bench to cross-check with; empty: the one on PATH
    std::string out_dir = "hookmatrix-out";
    std::optional<int> cpu; // the generator's CPU
    bool no_html = false;
    bool no_xdp_bench = false;
    // For kernels other than host, as `run` has them.
    std::string accel = "auto";
    unsigned guest_timeout_s = 900;
    std::string kernel_cache;
    std::string results_port; // in a guest: where results.json goes
};

// Everything the command line says, checked before anything is created or changed.
Result<ThroughputRequest> validate(const BenchArgs& args) {
    auto plan = plan_cells(args.selection);
    if (!plan)
        return std::unexpected(plan.error());
    if (auto env = check_run_environment(args.results_port); !env)
        return std::unexpected(env.error());
    // Without --hooks, only the hooks bench can drive: the rest would all read unsupported.
    if (args.selection.hooks.empty())
        std::erase_if(plan->cells, [](const Cell& c) {
            std::string why;
            return !throughput_supports(*c.hook, why);
        });
    std::vector<SourceKind> sources;
    if (args.source == "both")
        sources = {SourceKind::Xdp, SourceKind::Skb};
    else
        sources = {*source_kind(args.source)};
    return ThroughputRequest{
        .cells = std::move(plan->cells),
        .sources = std::move(sources),
        .options = {.window = std::chrono::milliseconds(static_cast<long>(args.seconds * 1000)),
                    .windows = args.windows,
                    .action = args.action == "pass" ? CounterAction::Pass : CounterAction::Drop,
                    .source_max_pps = args.source_max_pps},
        .xdp_bench = !args.no_xdp_bench,
        .xdp_bench_path = args.xdp_bench,
        // One guest at a time: two would measure each other.
        .guests = {.vm = {.cache = args.kernel_cache.empty()
                                       ? default_kernel_cache()
                                       : std::filesystem::path(args.kernel_cache),
                          .accel = args.accel,
                          .machine = {.timeout = std::chrono::seconds(args.guest_timeout_s)},
                          .console_dir = args.out_dir},
                   .jobs = 1}};
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
    if (!args.results_port.empty())
        reporters.add(make_results_port_reporter(args.results_port));
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
    sub.add_option("--source", args->source,
                   "what makes the traffic: xdp (XDP frames redirected into the device, as from a "
                   "NIC driver; BPF_PROG_RUN live frames, Linux 5.18+), skb (AF_PACKET frames, "
                   "which reach the device as skbs), or both, measured and reported apart")
        ->capture_default_str()
        ->check(CLI::IsMember({"xdp", "skb", "both"}));
    sub.add_option("--source-max-pps", args->source_max_pps,
                   "hold every source to this many frames a second: the source is then the "
                   "bottleneck, and the cells say generator-bound")
        ->check(CLI::Range(1.0, 1e9));
    sub.add_option("--xdp-bench", args->xdp_bench,
                   "the xdp-bench (xdp-tools) to cross-check the xdpdrv / xdpgeneric ratio with "
                   "(default: xdp-bench on PATH)");
    sub.add_option("-o,--output", args->out_dir, "directory for results.json and report.html")
        ->capture_default_str();
    sub.add_option("--cpu", args->cpu,
                   "the CPU the generator (and so the receive path) runs on (default: the "
                   "highest-numbered CPU hookmatrix may use); hookmatrix's own thread takes "
                   "another")
        ->check(CLI::NonNegativeNumber);
    sub.add_flag("--no-html", args->no_html, "do not write report.html");
    sub.add_option("--accel", args->accel,
                   "how guests (--kernels other than host) run: kvm, tcg (emulated: its figures "
                   "are marked so, and only ratios within one guest mean anything) or auto")
        ->check(CLI::IsMember({"auto", "kvm", "tcg"}))
        ->capture_default_str();
    sub.add_option("--guest-timeout", args->guest_timeout_s,
                   "seconds a guest may take, boot to power-off")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    sub.add_option("--kernel-cache", args->kernel_cache,
                   "where fetched kernels are kept (default: $HOOKMATRIX_KERNEL_CACHE, else "
                   "~/.cache/hookmatrix/kernels)")
        ->type_name("DIR");
    sub.add_option("--results-port", args->results_port)->group(""); // used inside guests
    sub.add_flag("--no-xdp-bench", args->no_xdp_bench,
                 "skip the cross-check with xdp-bench (xdp-tools) even when it is installed");
    sub.footer(
        "Examples:\n"
        "  hookmatrix bench --hooks xdpgeneric,xdpdrv,tc-ingress --devices veth -o out\n"
        "  hookmatrix bench --devices veth,lo --seconds 2 --windows 10 --action pass\n"
        "  hookmatrix bench --hooks xdpgeneric,xdpdrv --devices veth --source xdp\n"
        "  hookmatrix bench --hooks xdpgeneric,xdpdrv --devices veth --kernels host,debian:6.12\n"
        "Each cell builds namespaces 'near' (device under test) and 'far', attaches a program\n"
        "that counts every packet and then drops (or passes) it, and sends 60-byte UDP frames\n"
        "from far as fast as one CPU can, once per source: xdp pushes XDP frames into the veth\n"
        "(BPF_PROG_RUN with live frames, redirected out of the far end; GRO on the device under\n"
        "test), skb writes them with AF_PACKET (sendmmsg, PACKET_QDISC_BYPASS). Packets per\n"
        "second are what the program counted; ns per packet is the busy time of the generator's\n"
        "CPU (/proc/stat) over the counted packets. After its windows each cell measures the\n"
        "source alone (its ceiling) and says generator-bound when the hook's rate is within 5%\n"
        "of it. Without --hooks, only the hooks bench can drive are taken: the ingress XDP, tc\n"
        "and tcx hooks. When xdpdrv and xdpgeneric both ran on a device, their ratio per source\n"
        "is printed, beside xdp-bench's own when an xdp-bench that works is found.\n"
        "Compare two bench runs: hookmatrix diff base/results.json out/results.json\n"
        "Exit codes: 0 every cell measured or unsupported; 1 a cell failed or errored;\n"
        "2 bad usage; 3 cannot run here (not root).");
    return [args](const std::string& command_line) { return bench(*args, command_line); };
}

} // namespace hm::cli
