// hookmatrix run: parses and validates the command line, makes the process's side effects (root
// mode, the CPU pin, the output directory), hands the run to runners/run.h and turns its outcome
// into an exit code.
#include "cli/commands.h"
#include "cli/exit.h"
#include "cli/root_mode.h"
#include "cli/stop_signals.h"
#include "core/atomic_file.h"
#include "matrix/hooks.h"
#include "reports/console_reporter.h"
#include "reports/history_reporter.h"
#include "reports/html_reporter.h"
#include "reports/json_reporter.h"
#include "reports/junit_reporter.h"
#include "reports/markdown_reporter.h"
#include "runners/kernels/guest_results.h"
#include "runners/kernels/kernel_cache.h"
#include "runners/programs/user_program.h"
#include "runners/run.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

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
    std::string cpu;            // --cpu N | any; empty: the highest-numbered allowed CPU
    unsigned jobs = 0;          // guests at a time; 0: one per CPU
    std::string accel = "auto"; // for guests
    unsigned guest_timeout_s = 900;
    std::string kernel_cache; // empty: default_kernel_cache()
    std::string modules_dir;  // for kernels given by path
    std::string
        results_port; // in a guest: where results.json goes (runners/kernels/guest_results.h)
    BaselineOptions baseline;
    std::string expect; // --expect FILE: known outcomes
    std::string history_add;                 // --history-add DIR: file this run there
    std::size_t history_keep = kHistoryKeep; // of the runs hookmatrix filed there
};

// "--object FILE.o" serves every hook; "HOOK=FILE.o" and "HOOK=FILE.o:SECTION" one hook each.
Result<UserObjects> parse_objects(const std::vector<std::string>& specs,
                                  const std::string& section) {
    UserObjects out;
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
        if (auto colon = rest.rfind(':');
            colon != std::string::npos && !std::filesystem::exists(rest)) {
            obj.path = rest.substr(0, colon);
            obj.section = rest.substr(colon + 1);
        }
        if (!std::filesystem::is_regular_file(obj.path))
            return fail("--object " + spec + ": no such file '" + obj.path + "'");
        if (auto ok = check_user_object(obj); !ok)
            return fail("--object " + spec + ": " + ok.error().what, 0, ok.error().detail);
        if (!out.emplace(hook, obj).second)
            return fail("--object " + spec + ": a second object for " +
                        (hook == "*" ? std::string("every hook") : "hook " + hook));
    }
    return out;
}

// Everything the command line says, checked before anything is created or changed.
Result<RunRequest> validate(const RunArgs& args) {
    auto plan = plan_cells(args.selection);
    if (!plan)
        return std::unexpected(plan.error());
    RunRequest req{.cells = plan->cells, .planned = plan->cells};
    if (auto env = check_run_environment(args.results_port); !env)
        return std::unexpected(env.error());
    if (!args.shard.empty()) {
        auto s = parse_shard(args.shard);
        if (!s)
            return fail("--shard: " + s.error().message());
        req.shard = *s;
        req.cells = take_shard(req.cells, *s);
    }
    // A bad baseline is a usage error before any cell runs, not after minutes of them.
    std::string note;
    auto baseline = load_baseline(args.baseline, &note);
    if (!baseline)
        return std::unexpected(baseline.error());
    req.baseline = std::move(*baseline);
    if (!note.empty())
        req.notes.push_back(note);
    if (!args.expect.empty()) {
        auto expect = load_expectations(args.expect);
        if (!expect)
            return fail("--expect: " + expect.error().message());
        req.expect = std::move(*expect);
    }
    auto objects = parse_objects(args.objects, args.section);
    if (!objects)
        return std::unexpected(objects.error());
    if (args.trace && objects->empty())
        return fail("--trace needs --object: it judges your programs by their bpf_trace_printk "
                    "lines, and the probe prints none");
    req.objects = std::move(*objects);
    // The command line overrides the spec, the spec's include entries and its defaults.
    for (Cell& c : req.cells) {
        if (args.packets)
            c.settings.packets = args.packets;
        if (args.reply_timeout_ms)
            c.settings.reply_timeout_ms = args.reply_timeout_ms;
    }
    req.packets = args.packets;
    req.reply_timeout_ms = args.reply_timeout_ms;
    req.rounds = args.rounds;
    req.choir = args.choir;
    req.trace = args.trace;
    return req;
}

void add_reporters(Reporters& reporters, const RunArgs& args, const std::string& json_path) {
    const std::filesystem::path out(args.out_dir);
    reporters.add(make_json_reporter(json_path));
    if (!args.no_html)
        reporters.add(make_html_reporter((out / "report.html").string()));
    if (!args.no_junit)
        reporters.add(make_junit_reporter((out / "junit.xml").string()));
    if (!args.no_markdown)
        reporters.add(make_markdown_reporter((out / "compat.md").string()));
    if (!args.history_add.empty())
        reporters.add(make_history_reporter(args.history_add, args.history_keep));
    // Last, so that its closing lines follow the files they name.
    reporters.add(make_console_reporter(std::cout, json_path));
    if (!args.results_port.empty())
        reporters.add(make_results_port_reporter(args.results_port));
}

int exit_code_of(const RunOutcome& outcome) {
    if (!outcome.written)
        return complain("run", outcome.written.error().message(), exit_code::environment);
    if (outcome.incomparable)
        return complain("run", "--baseline: " + outcome.incomparable->message(), exit_code::usage);
    if (outcome.interrupted) {
        std::cerr << "hookmatrix run: interrupted after " << outcome.result.cells.size() << " of "
                  << outcome.planned_cells << " cells\n";
        return exit_code::interrupted;
    }
    if (outcome.regressed())
        return exit_code::regression;
    return outcome.ok() ? exit_code::ok : exit_code::cells_failed;
}

int run(const RunArgs& args, const std::string& command_line) {
    auto req = validate(args);
    if (!req)
        return complain("run", req.error().message(), exit_code::usage);
    if (auto s = enter_as_root("run"); !s)
        return complain("run", s.error().message(), exit_code::environment);
    // Pinned while the host's cells run; guests, later, get every CPU.
    if (args.cpu != "any") {
        auto p =
            CpuPin::pin(args.cpu.empty() ? std::nullopt : std::optional<int>(std::stoi(args.cpu)));
        if (!p)
            return complain("run", "--cpu: " + p.error().message(), exit_code::usage);
        req->pin.emplace(std::move(*p));
    }
    if (auto made = make_output_dir(args.out_dir); !made)
        return complain("run", made.error().message(), exit_code::usage);
    const std::string json_path = (std::filesystem::path(args.out_dir) / "results.json").string();
    req->info = describe_this_run(command_line);
    req->info.cpu = req->pin ? std::optional<int>(req->pin->cpu()) : std::nullopt;
    req->results_path = json_path;
    req->guests = {
        .kernel_cache = args.kernel_cache.empty() ? default_kernel_cache()
                                                  : std::filesystem::path(args.kernel_cache),
        .modules_dir = args.modules_dir,
        .accel = args.accel,
        .timeout = std::chrono::seconds(args.guest_timeout_s),
        .jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency()),
        .console_dir = args.out_dir};
    Reporters reporters;
    add_reporters(reporters, args, json_path);
    return exit_code_of(run_matrix(std::move(*req), reporters, stop_on_signals()));
}

void add_measure_options(CLI::App& sub, RunArgs& args) {
    sub.add_option("--packets", args.packets,
                   fmt::format("echo requests per cell, for every cell (default: the spec's, {})",
                               kDefaultPackets))
        ->check(CLI::Range(std::uint32_t{1}, kMaxPackets)
                    .description("1 to a million: a cell keeps every packet's latency"));
    sub.add_option("--rounds", args.rounds,
                   "measure every passing cell of this machine's kernel in N passes over the "
                   "matrix, each on a fresh topology, joined into one cell (N x --packets "
                   "samples). On shared VMs a whole cell now and then runs in a fast or slow "
                   "state of the machine, which more rounds average away. Use it for runs you "
                   "will diff: the nightly workflow runs 40 (docs/benchmarks.md)")
        ->capture_default_str()
        ->check(CLI::Range(1u, 50u).description(
            "1 to 50: this kernel's cells take N times as long"));
    sub.add_option("--reply-timeout", args.reply_timeout_ms,
                   fmt::format("milliseconds to wait for each echo reply (default: the spec's, {})",
                               kDefaultReplyTimeoutMs))
        ->check(CLI::Range(std::uint32_t{1}, kMaxReplyTimeoutMs)
                    .description("1 to 60000: a lost reply costs this much per packet"));
    sub.add_option("--shard", args.shard,
                   "run only the I-th of N disjoint slices of the cells (cell k of the plan goes "
                   "to slice k mod N; with --choir, device k's choir likewise); join the slices' "
                   "results with 'hookmatrix merge'")
        ->type_name("I/N");
    sub.add_option("--cpu", args.cpu,
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
    sub.add_flag("--choir", args.choir,
                 "after the cells, attach every selected hook that fits each device at once and "
                 "report the order they fire in along one request and its reply");
}

void add_program_options(CLI::App& sub, RunArgs& args) {
    sub.add_option("--object", args.objects,
                   "attach your own BPF object instead of the probe: FILE.o for every hook, "
                   "HOOK=FILE.o or HOOK=FILE.o:SECTION for one (repeatable). Any section name "
                   "works (SEC(\"hello\")); hookmatrix sets the program type the hook needs. "
                   "A cell passes when the kernel's run counter shows the program ran for every "
                   "packet and the replies came back")
        ->type_name("[HOOK=]FILE.o[:SECTION]");
    sub.add_option("--section", args.section,
                   "the section (or program name) to load from --object files that do not name "
                   "one; default: the object's only program");
    sub.add_flag("--trace", args.trace,
                 "judge --object programs by their bpf_trace_printk lines: a cell passes when "
                 "every packet produced a line (read from a tracing instance of hookmatrix's own, "
                 "only lines from its own threads), and each line's time gives the latency");
}

void add_output_options(CLI::App& sub, RunArgs& args) {
    sub.add_option("-o,--output", args.out_dir,
                   "directory for results.json and the reports (report.html, junit.xml, compat.md)")
        ->capture_default_str();
    sub.add_flag("--no-html", args.no_html, "do not write report.html");
    sub.add_flag("--no-junit", args.no_junit, "do not write junit.xml");
    sub.add_flag("--no-markdown", args.no_markdown, "do not write compat.md");
    add_baseline_options(sub, args.baseline, /*with_history=*/true);
    sub.add_option("--expect", args.expect,
                   "known outcomes: a YAML (or JSON) list of {hook, device, kernel, verdict, "
                   "reason}, hook, device and kernel as glob patterns (kernel: the release or the "
                   "kernel's name on the axis, e.g. debian:6.1). A cell with the expected verdict "
                   "reads 'expected fail' and fails nothing; one that passes instead says 'fixed, "
                   "remove the expectation'. The first matching entry applies")
        ->type_name("FILE");
    sub.add_option("--history-add", args.history_add,
                   "file this run's results into this history folder (as hookmatrix-TIME-HOST."
                   "json) for later nights' --history, keeping the newest --history-keep")
        ->type_name("DIR");
    sub.add_option("--history-keep", args.history_keep,
                   "with --history-add: how many of the runs hookmatrix filed there to keep")
        ->capture_default_str()
        ->check(CLI::Range(1, 10000));
    sub.add_option("--results-port", args.results_port)->group(""); // used inside guests
}

void add_guest_options(CLI::App& sub, RunArgs& args) {
    sub.add_option("--jobs", args.jobs,
                   "kernels other than host run in qemu guests, this many at a time (default: "
                   "one per CPU)")
        ->check(CLI::PositiveNumber);
    sub.add_option("--accel", args.accel,
                   "how guests run: kvm, tcg (emulation, slower) or auto: KVM where a probe guest "
                   "boots with it, else TCG")
        ->check(CLI::IsMember({"auto", "kvm", "tcg"}))
        ->capture_default_str();
    sub.add_option("--guest-timeout", args.guest_timeout_s,
                   "seconds a guest may take, boot to power-off; a guest still running then is "
                   "killed and its kernel's cells are errors with the console's tail")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    sub.add_option("--kernel-cache", args.kernel_cache,
                   "where fetched and built kernels are kept (default: $HOOKMATRIX_KERNEL_CACHE, "
                   "else ~/.cache/hookmatrix/kernels)")
        ->type_name("DIR");
    sub.add_option("--modules", args.modules_dir,
                   "for a kernel given by path: its lib/modules/RELEASE directory (with "
                   "modules.dep), when the matrix needs modules it does not build in")
        ->type_name("DIR");
}
} // namespace

Action add_run_command(CLI::App& sub) {
    auto args = std::make_shared<RunArgs>();
    add_selection_options(sub, args->selection);
    add_measure_options(sub, *args);
    add_output_options(sub, *args);
    add_program_options(sub, *args);
    add_guest_options(sub, *args);
    sub.footer(
        "Example: hookmatrix run --hooks xdpdrv,tc-ingress --devices veth --packets 200 -o out\n"
        "Each cell builds namespaces 'near' (device under test) and 'far', attaches the\n"
        "probe, and sends echo requests that cross the hook: from far for ingress hooks,\n"
        "from near for egress hooks. Latency is send time to hook time, one way.\n"
        "Example: hookmatrix run -o tonight --baseline last-night/results.json\n"
        "  compares tonight's cells with last night's as 'hookmatrix diff' does, prints the\n"
        "  cells that changed, adds them to report.html, makes compat.md list only them, and\n"
        "  exits 1 on a regression.");
    return [args](const std::string& command_line) { return run(*args, command_line); };
}

} // namespace hm::cli
