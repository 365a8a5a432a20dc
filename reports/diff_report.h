#pragma once
// A Diff (matrix/compare/compare.h) for people and for programs: a terminal table of the cells that
// changed and a summary line, JSON "hookmatrix-diff/2" (docs/diff-schema.md), and a
// GitHub-flavoured Markdown table for a pull request comment.
#include "matrix/compare/compare.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace hm {

inline constexpr const char* kDiffSchema = "hookmatrix-diff/2";

// "2 regressions, 1 improvements, 40 unchanged", then ", 1 changed, 3 added, 0 removed, 2
// expected" for whichever of those is not zero. The words stay plural so scripts can grep the
// counts.
std::string summary_line(const DiffSummary& s);

// "+12.5% (+301 ns), p=3.1e-09": the Hodges-Lehmann shift and the U test's p-value.
std::string describe_latency(const LatencyChange& l);

// Why a cell is listed, in a few words: "regression (slower)", "improvement (fixed)", "added".
std::string describe_change(const CellDiff& d);

// "a latency change counts when p < 0.01 (Mann-Whitney U) and the shift exceeds 10%".
std::string describe_rule(const Diff& diff);
// A sentence when the whole run moved beyond the threshold and cells were judged against that
// shift; empty otherwise.
std::string run_shift_note(const Diff& diff);
// With a history: one line per cell whose change began on an earlier night and held ("tc-ingress
// veth 6.18: slower since nights/a.json"); empty otherwise.
std::vector<std::string> persisting_changes(const Diff& diff);

std::string diff_to_text(const Diff& diff, const DiffSides& sides);
nlohmann::ordered_json diff_to_json(const Diff& diff, const DiffSides& sides);
std::string diff_to_markdown(const Diff& diff, const DiffSides& sides);

} // namespace hm
