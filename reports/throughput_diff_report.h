#pragma once
// A ThroughputDiff (matrix/compare/throughput_compare.h) for `hookmatrix diff`: lines for the
// terminal, a JSON array for the diff's "bench" member, a Markdown table.
#include "matrix/compare/throughput_compare.h"

#include <nlohmann/json.hpp>

#include <string>

namespace hm {

std::string throughput_diff_to_text(const ThroughputDiff& diff);
nlohmann::ordered_json throughput_diff_to_json(const ThroughputDiff& diff);
std::string throughput_diff_to_markdown(const ThroughputDiff& diff);

} // namespace hm
