#pragma once
// A command line as it was given, for people and results.json: the arguments joined by spaces,
// each one that a shell would split or expand single-quoted, so the line can be pasted back.
// It is only ever shown, never run.
#include <span>
#include <string>

namespace hm {

std::string quote_command_line(std::span<const std::string> args);

} // namespace hm
