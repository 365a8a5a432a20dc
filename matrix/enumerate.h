#pragma once
// From the user's selection to the cells a run executes, in a stable order (hook catalogue order,
// then device catalogue order), plus the pairs left out and why.
#include "core/error.h"
#include "matrix/cell.h"

#include <string>
#include <vector>

namespace hm {

struct Selection {
    std::vector<std::string> hooks;   // empty: every hook
    std::vector<std::string> devices; // empty: every device
    std::vector<std::string> kernels; // empty: {"host"}
};

struct ExcludedPair {
    Cell cell;
    std::string reason;
};

struct Plan {
    std::vector<Cell> cells;
    std::vector<ExcludedPair> excluded;
};

// Unknown names are an Error that lists the valid ones.
Result<Plan> enumerate(const Selection& selection);

// "a,b,,c" -> {"a","b","c"}: the CLI's comma lists.
std::vector<std::string> split_list(std::string_view text);

} // namespace hm
