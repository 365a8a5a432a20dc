#pragma once
// The compatibility matrix as the reports lay it out: hooks as rows in the order the results first
// name them (the run's catalogue order), (kernel, device) as columns: kernels in version order
// (matrix/results/kernel_axis.h), devices within each in the order the results first name them.
#include "matrix/results/kernel_axis.h"
#include "matrix/results/result.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace hm {

struct GridColumn {
    std::string kernel, device;
    auto operator<=>(const GridColumn&) const = default;
};

class ReportGrid {
public:
    explicit ReportGrid(const RunResult& result);
    const std::vector<std::string>& hooks() const { return hooks_; }
    const std::vector<GridColumn>& columns() const { return columns_; }
    // Every kernel named by a cell, choir or kernel run, in version order.
    const std::vector<std::string>& kernels() const { return kernels_; }
    const KernelAxis& axis() const { return axis_; }
    // nullptr when the run has no such cell (a pair the matrix rules leave out).
    const CellResult* at(const std::string& hook, const GridColumn& column) const;

private:
    KernelAxis axis_;
    std::vector<std::string> hooks_, kernels_;
    std::vector<GridColumn> columns_;
    std::map<std::pair<std::string, GridColumn>, const CellResult*> cells_;
};

} // namespace hm
