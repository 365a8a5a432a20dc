#include "cli/commands.h"
#include "cli/exit.h"
#include "cli/stop_signals.h"
#include "core/command_line.h"
#include "core/kernel_release.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

namespace {
// The one way out of an exception that reached a subcommand's top: one line, never an abort. What
// comes from reading an input (JSON, YAML, a number out of range, an allocation an input asked
// for) is bad input; what comes from the machine (a file system, a system call) is the
// environment.
int run_guarded(const std::string& command, const hm::cli::Action& action,
                const std::string& command_line) {
    try {
        const int code = action(command_line);
        std::cout.flush();
        if (!std::cout && code == hm::exit_code::ok)
            return hm::complain(command,
                                "standard output was closed before all was printed (what was "
                                "to be written to files is written)",
                                hm::exit_code::environment);
        return code;
    } catch (const nlohmann::json::exception& e) {
        return hm::complain(command, std::string("bad input: ") + e.what(), hm::exit_code::usage);
    } catch (const YAML::Exception& e) {
        return hm::complain(command, std::string("bad input: ") + e.what(), hm::exit_code::usage);
    } catch (const std::bad_alloc&) {
        return hm::complain(command,
                            "out of memory: an input or an option asked for more than this "
                            "machine has",
                            hm::exit_code::usage);
    } catch (const std::length_error& e) {
        return hm::complain(command, std::string("bad input: too large: ") + e.what(),
                            hm::exit_code::usage);
    } catch (const std::out_of_range& e) {
        return hm::complain(command, std::string("bad input: out of range: ") + e.what(),
                            hm::exit_code::usage);
    } catch (const std::filesystem::filesystem_error& e) {
        return hm::complain(command, e.what(), hm::exit_code::environment);
    } catch (const std::exception& e) {
        return hm::complain(command, std::string("internal error: ") + e.what(),
                            hm::exit_code::environment);
    }
}

// Exit means clean: the kernel frees an attached program when it tears the program's namespace
// down, in a worker, after our descriptors are closed (usually within a second). Waiting for it
// here means a check right after exit sees the host as it was before.
void wait_for_the_kernel(const std::string& command) {
    constexpr auto bound = std::chrono::seconds(20);
    const hm::StillLoaded left = hm::wait_until_released(bound);
    if (left.empty())
        return;
    std::string ids;
    for (std::uint32_t id : left.programs)
        ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    std::cerr << "hookmatrix " << command << ": warning: " << bound.count()
              << " s after the end, the kernel still holds " << left.programs.size()
              << " of our programs (ids: " << ids << ") and " << left.maps.size()
              << " maps; they go when its namespace teardown finishes\n";
}

// CLI11 would say only "A subcommand is required" of a misspelt one: this names the commands.
bool names_a_command(const CLI::App& app, const std::string& word) {
    std::string names;
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        names += (names.empty() ? "" : ", ") + sub->get_name();
        known = known || sub->get_name() == word;
    }
    if (!known)
        std::cerr << "hookmatrix: no command '" << word << "'; the commands are " << names
                  << " (hookmatrix --help)\n";
    return known;
}
} // namespace

int main(int argc, char** argv) {
    // A reader that goes away (`hookmatrix run | head -1`) must not kill the run before it
    // writes results.json: writes to the closed pipe fail instead, and the end says so.
    std::signal(SIGPIPE, SIG_IGN);
    hm::cli::end_on_signals();
    CLI::App app{"hookmatrix: a test matrix and benchmark for Linux BPF networking hook points.\n"
                 "Each cell attaches a probe program at one hook on one device in network\n"
                 "namespaces of its own, sends real packets and records a verdict and the\n"
                 "send-to-hook latency. Nothing outside those namespaces is changed.",
                 "hookmatrix"};
    app.set_version_flag("--version", hm::cli::tool_version());
    app.require_subcommand(1);
    app.footer("Exit codes: 0 all cells pass or unsupported; 1 a cell failed or errored (or,\n"
               "with --baseline or diff, regressed); 2 bad usage or input; 3 cannot run here\n"
               "(not root, no namespaces).\n"
               "Run 'hookmatrix COMMAND --help' for a command's options.");
    std::map<CLI::App*, hm::cli::Action> actions;
    auto add = [&](const char* name, const char* what, auto adder) {
        CLI::App* sub = app.add_subcommand(name, what);
        actions[sub] = adder(*sub);
    };
    add("run", "run the matrix on the running kernel and write results.json",
        hm::cli::add_run_command);
    add("list", "print the cells a run would execute, and the pairs left out with the reason",
        hm::cli::add_list_command);
    add("probe", "what the running kernel supports, per hook and device, and why",
        hm::cli::add_probe_command);
    add("diff", "what changed between two results.json files (or two kernels in one)",
        hm::cli::add_diff_command);
    add("merge", "join shards or runs from several machines into one results.json",
        hm::cli::add_merge_command);
    add("report", "make report.html, junit.xml or compat.md from saved results.json files",
        hm::cli::add_report_command);
    add("bench", "measure each hook's packets per second and cost per packet under load",
        hm::cli::add_bench_command);
    add("kernels", "list, fetch and build the kernels that --kernels names",
        hm::cli::add_kernels_command);
    // The arguments, as results.json records them: "hookmatrix run --hooks xdpdrv -o out".
    std::vector<std::string> args{"hookmatrix"};
    // Inside a guest, /init runs "hookmatrix guest FILE": the arguments, NUL-separated, are read
    // from FILE, so no shell ever splits them.
    if (argc == 3 && std::string_view(argv[1]) == "guest") {
        std::ifstream in(argv[2], std::ios::binary);
        for (std::string a; std::getline(in, a, '\0');)
            args.push_back(a);
        if (!in.eof() || args.size() == 1) {
            std::cerr << "hookmatrix guest: cannot read arguments from " << argv[2] << "\n";
            return hm::exit_code::usage;
        }
    } else {
        args.insert(args.end(), argv + 1, argv + argc);
    }
    if (args.size() > 1 && !args[1].starts_with('-') && !names_a_command(app, args[1]))
        return hm::exit_code::usage;
    try {
        // CLI11 takes a vector last argument first, without the program's name.
        std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : hm::exit_code::usage;
    }
    for (auto& [sub, action] : actions)
        if (sub->parsed()) {
            const int code = run_guarded(sub->get_name(), action, hm::quote_command_line(args));
            wait_for_the_kernel(sub->get_name());
            return code;
        }
    return hm::exit_code::usage;
}
