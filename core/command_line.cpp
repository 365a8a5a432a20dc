#include "core/command_line.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace hm {

namespace {
bool plain(const std::string& a) {
    return !a.empty() && std::ranges::all_of(a, [](unsigned char c) {
        return std::isalnum(c) || std::string_view("-_./=:,+@%^").find(c) != std::string_view::npos;
    });
}

std::string quote(const std::string& a) {
    if (plain(a))
        return a;
    std::string out = "'";
    for (char c : a)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}
} // namespace

std::string quote_command_line(std::span<const std::string> args) {
    std::string line;
    for (const std::string& a : args)
        line += (line.empty() ? "" : " ") + quote(a);
    return line;
}

} // namespace hm
