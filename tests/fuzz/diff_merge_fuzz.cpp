// Two results.json (split at the first NUL byte), as `diff A B` and `merge A B` take them.
#include "bad_input.h"
#include "matrix/compare/compare.h"
#include "matrix/results/merge.h"
#include "matrix/results/results_json.h"
#include "reports/diff_report.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace {
std::optional<hm::RunResult> read(std::string_view text, const char* name) {
    const auto doc = nlohmann::ordered_json::parse(text, nullptr, false);
    if (doc.is_discarded())
        return std::nullopt;
    auto run = hm::results_from_json(doc, name);
    return run ? std::optional(std::move(*run)) : std::nullopt;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    const std::size_t cut = all.find('\0');
    if (cut == std::string_view::npos)
        return 0;
    hm::fuzz::as_the_cli_would([&] {
        auto a = read(all.substr(0, cut), "a.json");
        auto b = read(all.substr(cut + 1), "b.json");
        if (!a || !b)
            return;
        for (bool by_kernel : {false, true})
            if (auto diff = hm::compare_cells(a->cells, b->cells, by_kernel, {}, "a", "b")) {
                const hm::DiffSides sides{.base_source = "a.json", .new_source = "b.json"};
                (void)hm::diff_to_text(*diff, sides);
                (void)hm::json_text(hm::diff_to_json(*diff, sides));
                (void)hm::diff_to_markdown(*diff, sides);
            }
        (void)hm::merge_runs({{.source = "a.json", .run = *a}, {.source = "b.json", .run = *b}},
                             "hookmatrix merge");
    });
    return 0;
}
