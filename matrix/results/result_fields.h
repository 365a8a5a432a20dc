#pragma once
// The fields of results.json, schema "hookmatrix/1" (docs/results-schema.md), one table per struct:
// to_json and results_from_json (results_json.h) both run on these tables.
#include "matrix/results/json_codecs.h"
#include "matrix/results/result.h"

namespace hm {

// The tables live in run_fields.cpp, cell_fields.cpp, choir_fields.cpp and throughput_fields.cpp.
const json_fields::Fields<RunResult>& run_result_fields();
const json_fields::Fields<CellResult>& cell_fields();
const json_fields::Fields<LatencyStats>& latency_fields();
const json_fields::Fields<ChoirResult>& choir_fields();
const json_fields::Fields<ThroughputResult>& throughput_fields();
const json_fields::Fields<ThroughputRatio>& throughput_ratio_fields();

// What a cell and a throughput cell say first.
template <class T> json_fields::Fields<T> cell_head_fields() {
    using namespace json_fields;
    return {
        field("hook", &T::hook, text),
        field("device", &T::device, text),
        field("kernel", &T::kernel, text),
        field("verdict", &T::verdict, verdict_word),
        field("reason", &T::reason, text),
    };
}

} // namespace hm
