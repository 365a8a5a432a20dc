#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/atomic_file.h"
#include "core/cpu_pin.h"
#include "core/mount_ns.h"
#include "matrix/enumerate.h"
#include "matrix/features.h"
#include "matrix/compare/baseline.h"
#include "reports/diff_report.h"
#include "matrix/results/rounds.h"
#include "runners/remeasure.h"
#include "reports/console_reporter.h"
#include "reports/html_reporter.h"
#include "reports/junit_reporter.h"
#include "reports/markdown_reporter.h"
#include "matrix/results/results_json.h"
#include "reports/json_reporter.h"
#include "matrix/hooks.h"
#include "matrix/shard.h"
#include "runners/kernels/guest_results.h"
#include "runners/host_runner.h"
#include "runners/kernels/guest_pool.h"

#include <bpf/libbpf.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <iostream>
#include <map>
#include <optional>

namespace hm::cli {

namespace {
struct RunArgs {
    SelectionOptions selection;
    std::optional<std::uint32_t> packets;          // overrides the spec for every cell
    unsigned rounds = 1;                           // passes over the host's cells
    std::optional<std::uint32_t> reply_timeout_ms; // likewise
    std::string out_dir = "hookmatrix-out";
    bool choir = false;
    std::string shard; // --shard I/N: the I-th of N slices of the cells (matrix/shard.h)
    bool no_html = false, no_junit = false, no_markdown = false; // reports beside results.json
    std::vector<std::string> objects; // --object FILE.o | HOOK=FILE.o[:SECTION]
    std::string section;
    bool trace = false;
    std::string cpu; // --cpu N | any; empty: the highest-numbered allowed CPU
    unsigned jobs = 0;          // guests at a time; 0: one per CPU
    std::string accel = "auto"; // for guests
    unsigned guest_timeout_s = 900;
    std::string kernel_cache;   // empty: default_kernel_cache()
    std::string modules_dir;    // for kernels given by path
    std::string results_port;   // in a guest: where results.json goes (runners/kernels/guest_results.h)
    BaselineOptions baseline;
    std::string command_line;
};

std::atomic<bool> stop_requested{false};

// The first Ctrl-C (or SIGTERM) finishes the current cell and writes what ran; a second one
// kills at once, which is safe too: the kernel removes namespaces and programs with us.
void request_stop(int) { stop_requested = true; }

void install_stop_handlers() {
    struct sigaction sa{};
    sa.sa_handler = request_stop;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
}

// "--object FILE.o" serves every hook; "HOOK=FILE.o" and "HOOK=FILE.o:SECTION" one hook each.
Result<std::map<std::string, UserObject>> parse_objects(const std::vector<std::string>& specs,
                                                       const std::string& section) {
    std::map<std::string, UserObject> out;
    for (const auto& spec : specs) {
        std::string hook = "*", rest = spec;
        if (auto eq = spec.find('='); eq != std::string::npos) {
            hook = spec.substr(0, eq);
            rest = spec.substr(eq + 1);
            if (!find_hook(hook))
                return fail("--object " + spec + ": unknown hook '" + hook + "'");
        }
        UserObject obj{rest, section};
        // FILE.o:SECTION, unless the whole text names an existing file (paths may hold ':').
        if (auto colon = rest.rfind(':'); colon != std::string::npos && !std::filesystem::exists(rest)) {
            obj.path = rest.substr(0, colon);
            obj.section = rest.substr(colon + 1);
        }
        if (!std::filesystem::is_regular_file(obj.path))
            return fail("--object " + spec + ": no such file '" + obj.path + "'");
        if (!out.emplace(hook, obj).second)
            return fail("--object " + spec + ": a second object for " +
                        (hook == "*" ? std::string("every hook") : "hook " + hook));
    }
    return out;
}

int run(const RunArgs& args) {
    auto plan = plan_cells(args.selection);
    if (!plan) {
        return complain("run", plan.error().message(), exit_code::usage);
    }
    std::optional<Shard> shard;
    if (!args.shard.empty()) {
        auto s = parse_shard(args.shard);
        if (!s) {
            return complain("run", "--shard: " + s.error().message(), exit_code::usage);
        }
        shard = *s;
    }
    // A bad baseline is a usage error before any cell runs, not after minutes of them.
    auto baseline = load_baseline(args.baseline);
    if (!baseline) {
        return complain("run", baseline.error().message(), exit_code::usage);
    }
    const std::vector<Cell> planned = plan->cells; // all shards' cells: choirs are sliced by device
    if (shard)
        plan->cells = take_shard(plan->cells, *shard);
    // The command line overrides the spec, the spec's include entries and its defaults.
    for (Cell& c : plan->cells) {
        if (args.packets)
            c.settings.packets = args.packets;
        if (args.reply_timeout_ms)
            c.settings.reply_timeout_ms = args.reply_timeout_ms;
    }
    if (auto s = enter_as_root("run"); !s)
        return complain("run", s.error().message(), exit_code::environment);
    // Pinned while the host's cells run; guests, later, get every CPU.
    std::optional<CpuPin> pin;
    if (args.cpu != "any") {
        auto p = CpuPin::pin(args.cpu.empty() ? std::nullopt
                                              : std::optional<int>(std::stoi(args.cpu)));
        if (!p) {
            return complain("run", "--cpu: " + p.error().message(), exit_code::usage);
        }
        pin.emplace(std::move(*p));
    }
    const std::optional<int> pinned = pin ? std::optional<int>(pin->cpu()) : std::nullopt;
    if (auto made = make_output_dir(args.out_dir); !made)
        return complain("run", made.error().message(), exit_code::usage);

    RunResult result;
    result.run = describe_this_run(args.command_line);
    result.run.shard = shard ? shard->text() : "";
    result.run.cpu = pinned;
    result.run.packets_per_cell = args.packets.value_or(
        plan->cells.empty() ? 0 : plan->cells.front().settings.packets.value_or(100));

    Reporters reporters;
    reporters.add(make_console_reporter(std::cout));
    const std::string json_path = (std::filesystem::path(args.out_dir) / "results.json").string();
    reporters.add(make_json_reporter(json_path));
    const std::filesystem::path out(args.out_dir);
    if (!args.no_html)
        reporters.add(make_html_reporter((out / "report.html").string()));
    if (!args.no_junit)
        reporters.add(make_junit_reporter((out / "junit.xml").string()));
    if (!args.no_markdown)
        reporters.add(make_markdown_reporter((out / "compat.md").string()));

    auto objects = parse_objects(args.objects, args.section);
    if (!objects) {
        return complain("run", objects.error().message(), exit_code::usage);
    }
    auto features = running_kernel_features();
    if (args.trace && objects->empty()) {
        std::cerr << "hookmatrix run: --trace needs --object: it judges your programs by their "
                     "bpf_trace_printk lines, and the probe prints none\n";
        return exit_code::usage;
    }
    HostRunner runner(*features, {.objects = *objects, .trace = args.trace});
    install_stop_handlers();
    const auto t0 = std::chrono::steady_clock::now();
    // The host's cells first, then each other kernel's in its guest.
    std::vector<KernelCells> guests;
    std::vector<const Cell*> host_cells;
    for (const Cell& cell : plan->cells) {
        if (cell.kernel == "host") {
            host_cells.push_back(&cell);
            continue;
        }
        auto g = std::ranges::find(guests, cell.kernel, &KernelCells::kernel);
        if (g == guests.end())
            g = guests.insert(guests.end(), {cell.kernel, {}});
        g->cells.push_back(cell);
    }
    const bool host_in_plan = !host_cells.empty() ||
                              std::ranges::any_of(planned, [](const Cell& c) { return c.kernel == "host"; });
    if (host_in_plan)
        result.run.kernel_runs.push_back(
            {.name = "host", .release = result.run.kernel_release, .how = "host"});
    reporters.begin(result.run, plan->cells.size());
    for (const Cell* cell : host_cells) {
        if (stop_requested)
            break;
        result.cells.push_back(runner.run_cell(*cell));
        reporters.cell(result.cells.back());
    }
    for (unsigned round = 2; round <= args.rounds && !stop_requested; ++round) {
        std::cout << fmt::format("round {} of {}: the passing cells again", round, args.rounds)
                  << std::endl;
        for (std::size_t i = 0; i < host_cells.size() && !stop_requested; ++i)
            if (result.cells[i].verdict == Verdict::Pass)
                join_round(result.cells[i], runner.run_cell(*host_cells[i]), round);
    }
    if (*baseline && !stop_requested)
        remeasure_regressions(runner, host_cells, std::span(result.cells).first(host_cells.size()),
                              (*baseline)->run, {.compare = (*baseline)->options},
                              [](const std::string& line) {
                                  std::cout << "measured again: " << line << std::endl;
                              });
    if (args.choir && host_in_plan) {
        // One choir per device of the plan, in catalogue order, singing the plan's hooks for it.
        std::vector<const DeviceSpec*> devices;
        std::map<const DeviceSpec*, std::vector<const HookSpec*>> hooks;
        for (const Cell& cell : planned) {
            if (cell.kernel != "host")
                continue;
            if (std::ranges::find(devices, cell.device) == devices.end())
                devices.push_back(cell.device);
            hooks[cell.device].push_back(cell.hook);
        }
        if (shard)
            devices = take_shard(devices, *shard);
        const std::uint32_t packets = result.run.packets_per_cell ? result.run.packets_per_cell : 100;
        for (const DeviceSpec* d : devices) {
            if (stop_requested)
                break;
            result.choirs.push_back(runner.run_choir(
                *d, packets, std::chrono::milliseconds(args.reply_timeout_ms.value_or(1000)),
                hooks[d]));
            reporters.choir(result.choirs.back());
        }
    }
    pin.reset();
    if (!guests.empty() && !stop_requested) {
        KernelAxisOptions axis{
            .vm = {.cache = args.kernel_cache.empty() ? default_kernel_cache()
                                                      : std::filesystem::path(args.kernel_cache),
                   .modules_dir = args.modules_dir,
                   .accel = args.accel,
                   .machine = {.timeout = std::chrono::seconds(args.guest_timeout_s)},
                   .console_dir = args.out_dir},
            .guest = {.packets = args.packets,
                      .reply_timeout_ms = args.reply_timeout_ms,
                      .choir = args.choir,
                      .trace = args.trace,
                      .objects = *objects},
            .jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency())};
        run_kernels(
            guests, axis, [](const std::string& line) { std::cout << line << std::endl; },
            [&](GuestOutcome out) {
                if (!out.info.error.empty())
                    std::cout << "kernel " << out.info.name << ": " << out.info.error << "\n";
                else
                    std::cout << fmt::format("kernel {} ({}): booted in {:.1f} s, done in {:.1f} s\n",
                                             out.info.name, out.info.release, out.info.boot_s,
                                             out.info.wall_s);
                result.run.kernel_runs.push_back(out.info);
                for (auto& c : out.cells) {
                    result.cells.push_back(std::move(c));
                    reporters.cell(result.cells.back());
                }
                for (auto& c : out.choirs) {
                    result.choirs.push_back(std::move(c));
                    reporters.choir(result.choirs.back());
                }
            },
            stop_requested);
    }
    result.run.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // The results are written even when they cannot be compared with the baseline.
    std::optional<BaselineComparison> comparison;
    std::optional<Error> incomparable;
    if (*baseline) {
        auto c = compare_with_baseline((*baseline)->run, (*baseline)->source, result, json_path,
                                       (*baseline)->options);
        if (c) {
            comparison = std::move(*c);
            reporters.baseline(*comparison);
        } else {
            incomparable = c.error();
        }
    }
    if (auto s = reporters.end(result); !s) {
        return complain("run", s.error().message(), exit_code::environment);
    }
    std::cout << "results: " << json_path << "\n";
    if (!args.results_port.empty()) {
        if (auto s = send_framed(args.results_port, to_json(result).dump(2) + "\n"); !s) {
            return complain("run", s.error().message(), exit_code::environment);
        }
    }
    if (comparison)
        std::cout << diff_to_text(comparison->diff, comparison->sides);
    if (incomparable) {
        return complain("run", "--baseline: " + incomparable->message(), exit_code::usage);
    }
    if (stop_requested) {
        std::cerr << "hookmatrix run: interrupted after " << result.cells.size() << " of "
                  << plan->cells.size() << " cells\n";
        return exit_code::interrupted;
    }
    const bool choirs_ok = std::ranges::all_of(result.choirs, &ChoirResult::ok);
    if (comparison && comparison->diff.has_regression())
        return exit_code::regression;
    return summarize(result.cells).ok() && choirs_ok ? exit_code::ok : exit_code::cells_failed;
}
} // namespace

Action add_run_command(CLI::App& sub) {
    auto args = std::make_shared<RunArgs>();
    add_selection_options(sub, args->selection);
    sub.add_option("--packets", args->packets,
                   "echo requests per cell, for every cell (default: the spec's, 100)")
        ->check(CLI::PositiveNumber);
    sub.add_option("--rounds", args->rounds,
                   "measure every passing cell of this machine's kernel in N passes over the "
                   "matrix, each on a fresh topology, joined into one cell (N x --packets "
                   "samples). On shared VMs a whole cell now and then runs in a fast or slow "
                   "state of the machine; with 2 rounds in both runs, diff sees a state only one "
                   "round had. Use it for runs you will diff, e.g. nightly")
        ->capture_default_str()
        ->check(CLI::Range(1u, 10u));
    sub.add_option("--reply-timeout", args->reply_timeout_ms,
                   "milliseconds to wait for each echo reply (default: the spec's, 1000)")
        ->check(CLI::PositiveNumber);
    sub.add_option("-o,--output", args->out_dir,
                   "directory for results.json and the reports (report.html, junit.xml, compat.md)")
        ->capture_default_str();
    sub.add_option("--object", args->objects,
                   "attach your own BPF object instead of the probe: FILE.o for every hook, "
                   "HOOK=FILE.o or HOOK=FILE.o:SECTION for one (repeatable). Any section name "
                   "works (SEC(\"hello\")); hookmatrix sets the program type the hook needs. "
                   "A cell passes when the kernel's run counter shows the program ran for every "
                   "packet and the replies came back")
        ->type_name("[HOOK=]FILE.o[:SECTION]");
    sub.add_option("--section", args->section,
                   "the section (or program name) to load from --object files that do not name "
                   "one; default: the object's only program");
    sub.add_flag("--trace", args->trace,
                 "judge --object programs by their bpf_trace_printk lines: a cell passes when "
                 "every packet produced a line (read from a tracing instance of hookmatrix's own, "
                 "only lines from its own threads), and each line's time gives the latency");
    sub.add_flag("--no-html", args->no_html, "do not write report.html");
    sub.add_flag("--no-junit", args->no_junit, "do not write junit.xml");
    sub.add_flag("--no-markdown", args->no_markdown, "do not write compat.md");
    sub.add_option("--shard", args->shard,
                   "run only the I-th of N disjoint slices of the cells (cell k of the plan goes "
                   "to slice k mod N; with --choir, device k's choir likewise); join the slices' "
                   "results with 'hookmatrix merge'")
        ->type_name("I/N");
    sub.add_option("--cpu", args->cpu,
                   "the CPU to measure on: hookmatrix pins itself (and its helper threads) there, "
                   "so that runs repeat; 'any' leaves placement to the scheduler (default: the "
                   "highest-numbered CPU it may use)")
        ->type_name("N|any")
        ->check([](const std::string& v) {
            if (v == "any" || (!v.empty() && v.size() < 6 &&
                               std::ranges::all_of(v, [](char c) { return c >= '0' && c <= '9'; })))
                return std::string();
            return std::string("expected a CPU number or 'any', got '" + v + "'");
        });
    add_baseline_options(sub, args->baseline);
    sub.add_option("--jobs", args->jobs,
                   "kernels other than host run in qemu guests, this many at a time (default: "
                   "one per CPU)")
        ->check(CLI::PositiveNumber);
    sub.add_option("--accel", args->accel,
                   "how guests run: kvm, tcg (emulation, slower) or auto: KVM where a probe guest "
                   "boots with it, else TCG")
        ->check(CLI::IsMember({"auto", "kvm", "tcg"}))
        ->capture_default_str();
    sub.add_option("--guest-timeout", args->guest_timeout_s,
                   "seconds a guest may take, boot to power-off; a guest still running then is "
                   "killed and its kernel's cells are errors with the console's tail")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    sub.add_option("--kernel-cache", args->kernel_cache,
                   "where fetched and built kernels are kept (default: $HOOKMATRIX_KERNEL_CACHE, "
                   "else ~/.cache/hookmatrix/kernels)")
        ->type_name("DIR");
    sub.add_option("--modules", args->modules_dir,
                   "for a kernel given by path: its lib/modules/RELEASE directory (with "
                   "modules.dep), when the matrix needs modules it does not build in")
        ->type_name("DIR");
    sub.add_option("--results-port", args->results_port)->group(""); // used inside guests
    sub.add_flag("--choir", args->choir,
                 "after the cells, attach every selected hook that fits each device at once and "
                 "report the order they fire in along one request and its reply");
    sub.footer("Example: hookmatrix run --hooks xdpdrv,tc-ingress --devices veth --packets 200 -o out\n"
               "Each cell builds namespaces 'near' (device under test) and 'far', attaches the\n"
               "probe, and sends echo requests that cross the hook: from far for ingress hooks,\n"
               "from near for egress hooks. Latency is send time to hook time, one way.\n"
               "Example: hookmatrix run -o tonight --baseline last-night/results.json\n"
               "  compares tonight's cells with last night's as 'hookmatrix diff' does, prints the\n"
               "  cells that changed, adds them to report.html, makes compat.md list only them, and\n"
               "  exits 1 on a regression.");
    return [args]() {
        args->command_line = "hookmatrix run";
        for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
                 {"--spec", args->selection.spec},
                 {"--hooks", args->selection.hooks},
                 {"--devices", args->selection.devices},
                 {"--kernels", args->selection.kernels}})
            if (!value.empty())
                args->command_line += " " + name + " " + value;
        if (args->packets)
            args->command_line += " --packets " + std::to_string(*args->packets);
        if (args->choir)
            args->command_line += " --choir";
        if (!args->shard.empty())
            args->command_line += " --shard " + args->shard;
        if (args->trace)
            args->command_line += " --trace";
        if (!args->cpu.empty())
            args->command_line += " --cpu " + args->cpu;
        for (const auto& o : args->objects)
            args->command_line += " --object " + o;
        if (!args->section.empty())
            args->command_line += " --section " + args->section;
        if (!args->baseline.file.empty())
            args->command_line += " --baseline " + args->baseline.file;
        args->command_line += " -o " + args->out_dir;
        return run(*args);
    };
}

} // namespace hm::cli
