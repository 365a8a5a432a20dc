#pragma once
// The one order cells are listed in wherever results from several places meet (diff, merge): hook
// catalogue order, then device catalogue order, then kernel. Names the catalogues do not know
// (results from a newer hookmatrix) come after the known ones, alphabetically.
#include "matrix/results/result.h"

#include <string>

namespace hm {

struct CellKey {
    std::string hook, device, kernel;
    bool operator==(const CellKey&) const = default;
};

inline CellKey key_of(const CellResult& c) { return {c.hook, c.device, c.kernel}; }

// "tc-ingress on veth, kernel 6.1.0-18-amd64"
std::string describe(const CellKey& key);

bool catalogue_less(const CellKey& a, const CellKey& b);

} // namespace hm
