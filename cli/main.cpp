#include "cli/commands.h"
#include "cli/exit.h"
#include "core/command_line.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>

int main(int argc, char** argv) {
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
    try {
        // CLI11 takes a vector last argument first, without the program's name.
        std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : hm::exit_code::usage;
    }
    for (auto& [sub, action] : actions)
        if (sub->parsed())
            return action(hm::quote_command_line(args));
    return hm::exit_code::usage;
}
