// hookmatrix bench: per cell, how many packets per second the hook's program sees under load and
// what each costs, apart from run's trigger latency; and the xdpdrv / xdpgeneric ratio.
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/atomic_file.h"
#include "core/cpu_pin.h"
#include "core/mount_ns.h"
#include "matrix/features.h"
#include "reports/html_reporter.h"
#include "matrix/results/results_json.h"
#include "reports/json_reporter.h"
#include "runners/throughput_cell.h"
#include "runners/host_runner.h"

#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace hm::cli {

namespace {
struct BenchArgs {
    SelectionOptions selection;
    double seconds = 1;
    unsigned windows = 5;
    std::string action = "drop";
    std::string out_dir = "hookmatrix-out";
    std::optional<int> cpu; // the generator's CPU
    bool no_html = false;
    bool no_xdp_bench = false;
};

std::string command_line(const BenchArgs& a) {
    std::string out = "hookmatrix bench";
    for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"--spec", a.selection.spec},
             {"--hooks", a.selection.hooks},
             {"--devices", a.selection.devices},
             {"--kernels", a.selection.kernels}})
        if (!value.empty())
            out += " " + name + " " + value;
    out += fmt::format(" --seconds {:g} --windows {} --action {}", a.seconds, a.windows, a.action);
    if (a.cpu)
        out += " --cpu " + std::to_string(*a.cpu);
    if (a.no_xdp_bench)
        out += " --no-xdp-bench";
    return out + " -o " + a.out_dir;
}

// The generator's CPU, and another one for hookmatrix's own thread, which sleeps through the
// windows but wakes to read counters: on the generator's CPU it would steal from the path.
struct CpuPlan {
    int generator = 0;
    int control = 0;
    std::string layout;
};

Result<CpuPlan> plan_cpus(std::optional<int> wanted) {
    auto cpus = allowed_cpus();
    if (!cpus)
        return std::unexpected(cpus.error());
    if (cpus->empty())
        return fail("this process may run on no CPU");
    CpuPlan p;
    p.generator = wanted.value_or(cpus->back());
    if (std::ranges::find(*cpus, p.generator) == cpus->end())
        return fail("CPU " + std::to_string(p.generator) + " is not one this process may use");
    auto other = std::ranges::find_if(*cpus, [&](int c) { return c != p.generator; });
    p.control = other == cpus->end() ? p.generator : *other;
    p.layout = fmt::format(
        "generator on CPU {} (veth and lo deliver in the sender's softirq, so the hook runs "
        "there too); hookmatrix's control thread on CPU {}{}",
        p.generator, p.control,
        p.control == p.generator ? ", the same: it sleeps through each window" : ", asleep during each window");
    return p;
}

std::string mpps(double pps) { return fmt::format("{:.3f} Mpps", pps / 1e6); }

int bench(const BenchArgs& args) {
    SelectionOptions selection = args.selection;
    auto plan = plan_cells(selection);
    if (!plan) {
        return complain("bench", plan.error().message(), exit_code::usage);
    }
    // Guests measure their own virtual CPUs, not the hook: bench stays on the running kernel
    // until the VM runner can pin and count inside a guest.
    for (const Cell& c : plan->cells)
        if (c.kernel != "host") {
            std::cerr << "hookmatrix bench: kernel '" << c.kernel
                      << "': bench measures the running kernel only (--kernels host)\n";
            return exit_code::usage;
        }
    // Without --hooks, only the hooks bench can drive: the rest would all read unsupported.
    if (selection.hooks.empty())
        std::erase_if(plan->cells, [](const Cell& c) {
            std::string why;
            return !throughput_supports(*c.hook, why);
        });
    if (auto s = enter_as_root("bench"); !s)
        return complain("bench", s.error().message(), exit_code::environment);
    auto cpus = plan_cpus(args.cpu);
    if (!cpus) {
        return complain("bench", "--cpu: " + cpus.error().message(), exit_code::usage);
    }
    if (auto pinned = pin_to_one_cpu(cpus->control); !pinned) {
        return complain("bench", pinned.error().message(), exit_code::environment);
    }
    if (auto made = make_output_dir(args.out_dir); !made)
        return complain("bench", made.error().message(), exit_code::usage);

    RunResult result;
    result.run = describe_this_run(command_line(args));
    result.run.cpu = cpus->generator;
    const ThroughputOptions options{
        .window = std::chrono::milliseconds(static_cast<long>(args.seconds * 1000)),
        .windows = args.windows,
        .action = args.action == "pass" ? CounterAction::Pass : CounterAction::Drop,
        .generator_cpu = cpus->generator,
        .cpu_layout = cpus->layout};

    std::cout << fmt::format("hookmatrix {} bench: {} cells on kernel {}, {} windows of {:g} s "
                             "each, action {}\n{}\n",
                             result.run.tool_version, plan->cells.size(),
                             result.run.kernel_release, args.windows, args.seconds, args.action,
                             cpus->layout);
    auto features = running_kernel_features();
    const auto t0 = std::chrono::steady_clock::now();
    const std::size_t width = std::to_string(plan->cells.size()).size();
    for (std::size_t i = 0; i < plan->cells.size(); ++i) {
        ThroughputResult b = run_throughput_cell(plan->cells[i], *features, options,
                                       result.run.kernel_release);
        std::string figures = b.verdict == Verdict::Pass
                                  ? fmt::format("{:>13}  {:>7.0f} ns/pkt  {:.2f} CPUs busy",
                                                mpps(b.pps_median()), b.ns_per_packet_median(),
                                                b.cpu_busy_median())
                                  : b.reason;
        std::cout << fmt::format("[{:>{}}/{}] {:<20} {:<8} {:<11} {}\n", i + 1, width,
                                 plan->cells.size(), b.hook, b.device, to_string(b.verdict),
                                 figures)
                  << std::flush;
        result.throughput.push_back(std::move(b));
    }
    // The headline, per device that had either XDP mode benchmarked.
    std::vector<std::string> devices;
    for (const auto& b : result.throughput)
        if ((b.hook == "xdpdrv" || b.hook == "xdpgeneric") &&
            std::ranges::find(devices, b.device) == devices.end())
            devices.push_back(b.device);
    for (const auto& device : devices) {
        ThroughputRatio ratio{.device = device, .kernel = result.run.kernel_release};
        ratio.hookmatrix = xdp_mode_ratio(result.throughput, device, ratio.kernel, ratio.hookmatrix_note);
        if (device != "veth")
            ratio.xdp_bench_note = "the xdp-bench cross-check runs on veth only";
        else if (args.no_xdp_bench)
            ratio.xdp_bench_note = "not run (--no-xdp-bench)";
        else if (options.action == CounterAction::Pass)
            ratio.xdp_bench_note = "not run: xdp-bench drop compares with --action drop only";
        else
            cross_check_with_xdp_bench(ratio, options);
        std::cout << fmt::format("xdpdrv / xdpgeneric on {} ({}): {}; xdp-bench: {}\n", device,
                                 ratio.kernel,
                                 ratio.hookmatrix ? fmt::format("{:.2f}x", *ratio.hookmatrix)
                                                  : "none, " + ratio.hookmatrix_note,
                                 ratio.xdp_bench ? fmt::format("{:.2f}x", *ratio.xdp_bench)
                                                 : "none, " + ratio.xdp_bench_note);
        result.throughput_ratios.push_back(std::move(ratio));
    }
    result.run.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const std::filesystem::path out(args.out_dir);
    std::vector<std::unique_ptr<Reporter>> writers;
    writers.push_back(make_json_reporter((out / "results.json").string()));
    if (!args.no_html)
        writers.push_back(make_html_reporter((out / "report.html").string()));
    for (auto& w : writers)
        if (auto s = w->end(result); !s) {
            return complain("bench", s.error().message(), exit_code::environment);
        }
    std::cout << "results: " << (out / "results.json").string() << "\n";
    const bool ok = std::ranges::none_of(result.throughput, [](const ThroughputResult& b) {
        return b.verdict == Verdict::Fail || b.verdict == Verdict::Error;
    });
    return ok ? exit_code::ok : exit_code::cells_failed;
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
    return [args]() { return bench(*args); };
}

} // namespace hm::cli
