#include "matrix/shard.h"

#include <charconv>

namespace hm {

std::string Shard::text() const { return std::to_string(index) + "/" + std::to_string(count); }

Result<Shard> parse_shard(std::string_view text) {
    const std::string quoted = "shard '" + std::string(text) + "'";
    auto number = [](std::string_view s, std::uint32_t& out) {
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return !s.empty() && ec == std::errc() && end == s.data() + s.size();
    };
    const auto slash = text.find('/');
    Shard s;
    if (slash == std::string_view::npos || !number(text.substr(0, slash), s.index) ||
        !number(text.substr(slash + 1), s.count))
        return fail(quoted + " is not I/N, e.g. 1/4 for the first of four slices");
    if (s.count == 0)
        return fail(quoted + ": N must be at least 1");
    if (s.index == 0 || s.index > s.count)
        return fail(quoted + ": I must be between 1 and N (" + std::to_string(s.count) + ")");
    return s;
}

} // namespace hm
