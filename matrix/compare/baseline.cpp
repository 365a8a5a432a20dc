#include "matrix/compare/baseline.h"

namespace hm {

Result<BaselineComparison> compare_with_baseline(const Baseline& base, const RunResult& now,
                                                 const std::string& new_source) {
    std::vector<Night> window;
    for (const SavedRun& n : base.nights)
        window.push_back({n.path, &n.run});
    auto diff = compare_with_history(window, {new_source, &now}, base.options);
    if (!diff)
        return std::unexpected(diff.error());
    return BaselineComparison{.diff = std::move(*diff),
                              .sides = {.base_source = base.source, .new_source = new_source}};
}

Result<BaselineComparison> compare_with_baseline(const RunResult& base,
                                                 const std::string& base_source,
                                                 const RunResult& now,
                                                 const std::string& new_source,
                                                 const CompareOptions& options) {
    return compare_with_baseline(
        Baseline{.source = base_source, .nights = {{base_source, base}}, .options = {options}},
        now, new_source);
}

} // namespace hm
