#include "reports/report_grid.h"

#include <algorithm>

namespace hm {

namespace {
template <class T> void add_once(std::vector<T>& v, const T& x) {
    if (std::ranges::find(v, x) == v.end())
        v.push_back(x);
}
} // namespace

ReportGrid::ReportGrid(const RunResult& result) {
    for (const auto& c : result.cells) {
        add_once(hooks_, c.hook);
        add_once(kernels_, c.kernel);
        const GridColumn col{c.kernel, c.device};
        add_once(columns_, col);
        cells_.emplace(std::pair{c.hook, col}, &c);
    }
    for (const auto& c : result.choirs)
        add_once(kernels_, c.kernel);
}

const CellResult* ReportGrid::at(const std::string& hook, const GridColumn& column) const {
    auto it = cells_.find({hook, column});
    return it == cells_.end() ? nullptr : it->second;
}

} // namespace hm
