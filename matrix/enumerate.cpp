#include "matrix/enumerate.h"

#include "matrix/kernel_ref.h"
#include "matrix/rules.h"

#include <algorithm>

namespace hm {

std::string Cell::id() const {
    return std::string(hook->name) + "/" + std::string(device->name) + "@" + kernel;
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        auto comma = text.find(',');
        auto item = text.substr(0, comma);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        if (!item.empty())
            out.emplace_back(item);
        if (comma == std::string_view::npos)
            break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

namespace {
template <class Spec, class Find>
Result<std::vector<const Spec*>> resolve(const std::vector<std::string>& names,
                                         std::span<const Spec> all, Find find,
                                         std::string_view what) {
    std::vector<const Spec*> out;
    if (names.empty()) {
        for (const auto& s : all)
            out.push_back(&s);
        return out;
    }
    for (const auto& n : names) {
        const Spec* s = find(n);
        if (!s) {
            std::string known;
            for (const auto& k : all)
                known += (known.empty() ? "" : ", ") + std::string(k.name);
            return fail("unknown " + std::string(what) + " '" + n + "' (known: " + known + ")",
                        0);
        }
        // Keep catalogue order and drop repeats, so "a,b" and "b,a,b" plan the same run.
        if (std::ranges::find(out, s) == out.end())
            out.push_back(s);
    }
    std::ranges::sort(out, {}, [&](const Spec* s) { return s - all.data(); });
    return out;
}
} // namespace

Result<Plan> enumerate(const Selection& selection) {
    auto hooks = resolve<HookSpec>(selection.hooks, all_hooks(), find_hook, "hook");
    if (!hooks)
        return std::unexpected(hooks.error());
    auto devices = resolve<DeviceSpec>(selection.devices, all_devices(), find_device, "device");
    if (!devices)
        return std::unexpected(devices.error());
    std::vector<std::string> kernels = selection.kernels;
    if (kernels.empty())
        kernels.push_back("host");
    for (const auto& k : kernels)
        if (auto ref = parse_kernel_ref(k); !ref)
            return std::unexpected(ref.error());

    Plan plan;
    for (const auto& kernel : kernels)
        for (const HookSpec* h : *hooks)
            for (const DeviceSpec* d : *devices) {
                Cell cell{h, d, kernel};
                if (auto why = excluded(*h, *d))
                    plan.excluded.push_back({cell, std::string(*why)});
                else
                    plan.cells.push_back(cell);
            }
    return plan;
}

} // namespace hm
