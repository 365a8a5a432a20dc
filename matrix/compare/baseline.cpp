#include "matrix/compare/baseline.h"

namespace hm {

Result<BaselineComparison> compare_with_baseline(const RunResult& base,
                                                 const std::string& base_source,
                                                 const RunResult& now,
                                                 const std::string& new_source,
                                                 const CompareOptions& options) {
    auto diff = compare_cells(base.cells, now.cells, /*by_kernel=*/true, options, base_source,
                              new_source);
    if (!diff)
        return std::unexpected(diff.error());
    return BaselineComparison{.diff = std::move(*diff),
                              .sides = {.base_source = base_source, .new_source = new_source}};
}

} // namespace hm
