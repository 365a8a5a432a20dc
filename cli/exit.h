#pragma once
// How every subcommand ends: its exit code, the same for every subcommand (documented in
// README.md and --help), and on an error one line on stderr.
#include <iostream>
#include <string>
#include <string_view>

namespace hm::exit_code {
inline constexpr int ok = 0;          // every cell that ran is pass or unsupported
inline constexpr int cells_failed = 1; // some cell is fail or error
inline constexpr int regression = 1;   // diff: a cell regressed
inline constexpr int usage = 2;       // bad command line or input file
inline constexpr int environment = 3; // cannot run here: not root, no namespaces, no bpffs
inline constexpr int interrupted = 130;
} // namespace hm::exit_code

namespace hm {
// Every subcommand's way out with an error: "hookmatrix COMMAND: message" on stderr, then `code`.
inline int complain(std::string_view command, std::string_view message, int code) {
    std::cerr << "hookmatrix " << command << ": " << message << "\n";
    return code;
}

} // namespace hm
