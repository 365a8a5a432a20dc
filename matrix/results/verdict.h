#pragma once
// The verdict of a cell, a choir's voice or a throughput cell, and its spelling in results.json.
#include <optional>
#include <string_view>

namespace hm {

// Attached: the kernel accepted the attachment but no packet can reach the hook on this device
// (an offloaded XDP program on netdevsim runs on no datapath); the reason says why.
enum class Verdict { Pass, Fail, Unsupported, Error, Attached };
std::string_view to_string(Verdict v);
std::optional<Verdict> parse_verdict(std::string_view s);

} // namespace hm
