#include "reports/report_grid.h"

#include <algorithm>

namespace hm {

namespace {
template <class T> void add_once(std::vector<T>& v, const T& x) {
    if (std::ranges::find(v, x) == v.end())
        v.push_back(x);
}
} // namespace

ReportGrid::ReportGrid(const RunResult& result) : axis_(result) {
    std::vector<std::string> devices;
    for (const auto& c : result.cells) {
        add_once(hooks_, c.hook);
        add_once(devices, c.device);
        const GridColumn col{c.kernel, c.device};
        add_once(columns_, col);
        cells_.emplace(std::pair{c.hook, col}, &c);
    }
    for (const auto& k : axis_.kernels())
        kernels_.push_back(k.key);
    auto device_rank = [&](const std::string& d) { return std::ranges::find(devices, d) - devices.begin(); };
    std::ranges::stable_sort(columns_, [&](const GridColumn& a, const GridColumn& b) {
        return std::pair(axis_.rank(a.kernel), device_rank(a.device)) <
               std::pair(axis_.rank(b.kernel), device_rank(b.device));
    });
}

const CellResult* ReportGrid::at(const std::string& hook, const GridColumn& column) const {
    auto it = cells_.find({hook, column});
    return it == cells_.end() ? nullptr : it->second;
}

} // namespace hm
