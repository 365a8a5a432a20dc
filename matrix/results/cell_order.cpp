#include "matrix/results/cell_order.h"

#include "matrix/devices.h"
#include "matrix/hooks.h"

#include <algorithm>
#include <limits>
#include <tuple>

namespace hm {

namespace {
template <class Spec>
std::size_t position(std::span<const Spec> catalogue, const std::string& name) {
    auto it = std::ranges::find(catalogue, std::string_view(name), &Spec::name);
    return it == catalogue.end() ? std::numeric_limits<std::size_t>::max()
                                 : static_cast<std::size_t>(it - catalogue.begin());
}
} // namespace

std::string describe(const CellKey& key) {
    std::string s = key.hook + " on " + key.device;
    if (!key.kernel.empty())
        s += ", kernel " + key.kernel;
    return s;
}

bool catalogue_less(const CellKey& a, const CellKey& b) {
    const auto hooks = all_hooks();
    const auto devices = all_devices();
    return std::forward_as_tuple(position(hooks, a.hook), a.hook, position(devices, a.device),
                                 a.device, a.kernel) <
           std::forward_as_tuple(position(hooks, b.hook), b.hook, position(devices, b.device),
                                 b.device, b.kernel);
}

} // namespace hm
