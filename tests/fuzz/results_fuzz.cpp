// A results.json, as diff, merge and report read it, written back and reported.
#include "bad_input.h"
#include "matrix/results/results_json.h"
#include "reports/markdown_reporter.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto doc = nlohmann::ordered_json::parse(data, data + size, nullptr, false);
    if (doc.is_discarded())
        return 0;
    hm::fuzz::as_the_cli_would([&] {
        auto run = hm::results_from_json(doc, "fuzz.json");
        if (!run)
            return;
        const std::string again = hm::json_text(hm::to_json(*run));
        (void)hm::results_from_json(nlohmann::ordered_json::parse(again), "again.json");
        (void)hm::markdown_report(*run);
    });
    return 0;
}
