#pragma once
// A BenchDiff (matrix/bench_compare.h) for `hookmatrix diff`: lines for the terminal, a JSON
// array for the diff's "bench" member, a Markdown table.
#include "matrix/bench_compare.h"

#include <nlohmann/json.hpp>

#include <string>

namespace hm {

std::string bench_diff_to_text(const BenchDiff& diff);
nlohmann::ordered_json bench_diff_to_json(const BenchDiff& diff);
std::string bench_diff_to_markdown(const BenchDiff& diff);

} // namespace hm
