#pragma once
// The first question people bring to a compatibility table: since which kernel does this hook
// work on this device, and did a later kernel lose it? Computed per hook x device over the run's
// kernels in version order (matrix/results/kernel_axis.h). "Works" is pass (or attached: the
// kernel took the program and nothing can reach it); fail and unsupported are "does not"; an
// error says nothing about the kernel (the set-up failed), so it is listed apart.
#include "matrix/results/kernel_axis.h"
#include "matrix/results/result.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace hm {

struct SupportRow {
    std::string hook, device;
    struct OnKernel {
        std::string kernel; // the axis key (a release)
        Verdict verdict = Verdict::Error;
        std::string reason;
    };
    std::vector<OnKernel> kernels; // the kernels this pair ran on, in version order

    // Indices into `kernels`.
    std::optional<std::size_t> since;        // the first kernel where it works; none: nowhere
    std::optional<std::size_t> last_without; // the last kernel before `since` where it did not
    std::vector<std::size_t> lost;           // kernels after `since` where it no longer works
    std::vector<std::size_t> unknown;        // errors: nothing said about support there

    bool regressed() const { return !lost.empty(); }
    bool everywhere() const { return since == 0 && lost.empty() && unknown.empty(); }
};

// One row per hook x device of the run: devices in the order the run met them, and for each its
// hooks likewise.
std::vector<SupportRow> support_since(const RunResult& result, const KernelAxis& axis);

// The devices of `rows`, in row order.
std::vector<std::string> support_devices(const std::vector<SupportRow>& rows);

// For people, one line: "since 6.12.57 (not on 6.1.0-40); lost on 7.3.0-rc5", "on every kernel
// of the run", "on no kernel of the run".
std::string since_text(const SupportRow& row, const KernelAxis& axis);

} // namespace hm
