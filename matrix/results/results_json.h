#pragma once
// results.json, schema "hookmatrix/1" (docs/results-schema.md), written and read from one table
// of fields per struct (result_fields.h), so writers and readers (diff, merge, report) cannot
// disagree.
#include "core/error.h"
#include "matrix/results/result.h"

#include <nlohmann/json.hpp>

#include <string>

namespace hm {

inline constexpr const char* kResultsSchema = "hookmatrix/1";

// `source` names the input in errors: "results.json: cells[3].verdict: 'maybe' is not a verdict".
Result<RunResult> results_from_json(const nlohmann::ordered_json& doc, const std::string& source);
Result<RunResult> read_results_file(const std::string& path);

// The whole document, or one part as it stands in it.
nlohmann::ordered_json to_json(const RunResult& result);
nlohmann::ordered_json to_json(const CellResult& cell);
nlohmann::ordered_json to_json(const ChoirResult& choir);
nlohmann::ordered_json to_json(const ThroughputResult& bench);
nlohmann::ordered_json to_json(const ThroughputRatio& ratio);

// JSON text that never throws: a string that is not UTF-8 (a directory name, a section name, a
// verifier log, a trace line, a guest's console) has each invalid byte replaced by U+FFFD.
template <class Json>
std::string json_text(const Json& doc, int indent = 2) {
    return doc.dump(indent, ' ', false, Json::error_handler_t::replace);
}

} // namespace hm
