#include "matrix/results/results_json.h"

#include "core/atomic_file.h"

#include "matrix/results/result_fields.h"

#include <fstream>
#include <iterator>

namespace hm {

using json = nlohmann::ordered_json;

json to_json(const CellResult& cell) {
    return json_fields::write_fields(cell, cell_fields());
}
json to_json(const ChoirResult& choir) {
    return json_fields::write_fields(choir, choir_fields());
}
json to_json(const ThroughputResult& bench) {
    return json_fields::write_fields(bench, throughput_fields());
}
json to_json(const ThroughputRatio& ratio) {
    return json_fields::write_fields(ratio, throughput_ratio_fields());
}
json to_json(const RunResult& result) {
    return json_fields::write_fields(result, run_result_fields());
}

Result<RunResult> results_from_json(const json& doc, const std::string& source) {
    const json_fields::Reader rd(source);
    if (!doc.is_object())
        return rd.bad("top level", "not a JSON object (is this a hookmatrix results.json?)");
    RunResult r;
    if (auto s = json_fields::read_fields(rd, doc, "", run_result_fields(), r); !s)
        return std::unexpected(s.error());
    return r;
}

Result<RunResult> read_results_file(const std::string& path) {
    auto read = read_file(path);
    if (!read)
        return std::unexpected(read.error());
    const std::string& text = *read;
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        return fail(path +
                    ": empty file (an interrupted copy? hookmatrix itself never writes one)");
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
        // Parse once more for the position: where the text ends mid-document, it was cut short.
        try {
            [[maybe_unused]] json again = json::parse(text);
        } catch (const json::parse_error& e) {
            if (e.byte >= text.size())
                return fail(path + ": truncated JSON: the text ends at byte " +
                            std::to_string(text.size()) + " before the document does");
            return fail(path + ": not valid JSON at byte " + std::to_string(e.byte) +
                        " (is this a hookmatrix results.json?)");
        }
        return fail(path + ": not valid JSON (is this a hookmatrix results.json?)");
    }
    return results_from_json(doc, path);
}

} // namespace hm
