#pragma once
// The kernels of a run as readers expect them: in version order (5.10 before 6.1 before 6.12),
// the host placed where its version falls and marked as the host, each with how it ran (on the
// host, or emulated by TCG, or under KVM), so a latency that a TCG guest produced is never read
// beside a hardware one without saying so.
#include "matrix/results/result.h"

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hm {

// "6.12.57+deb13-cloud-amd64" -> 6.12.57; "7.3-rc5-amd64" -> 7.3.0 rc 5, which sorts before 7.3.0
// itself; "debian:6.1" -> 6.1.0. None when the text starts with no version.
struct KernelVersion {
    int major = 0, minor = 0, patch = 0;
    int rc = 0; // 0: a release
    std::strong_ordering operator<=>(const KernelVersion& o) const;
    bool operator==(const KernelVersion& o) const = default;
};
std::optional<KernelVersion> parse_kernel_version(std::string_view text);

struct AxisKernel {
    std::string key;  // as the cells name it: the release, or the axis name when the guest never said
    std::string name; // as named on the kernel axis ("host", "debian:6.12"); may be empty
    std::string how;  // "host", "tcg", "kvm"; empty when the run did not say
    std::optional<KernelVersion> version;

    bool host() const { return how == "host"; }
    bool emulated() const { return how == "tcg"; }
    // For headers: "6.18.0-1-amd64 (host)", "5.10.0-35-cloud-amd64 (debian:5.10, TCG)".
    std::string label() const;
    // For a latency: " (TCG)" when a TCG guest measured it, else empty.
    std::string latency_mark() const { return emulated() ? " (TCG)" : ""; }
};

class KernelAxis {
public:
    // Every kernel a cell, choir or kernel_runs entry of `result` names, in version order; kernels
    // without a version go last, by name.
    explicit KernelAxis(const RunResult& result);
    const std::vector<AxisKernel>& kernels() const { return kernels_; }
    // The kernel cells call `key`; a bare entry (no name, no how) for one the run never named.
    const AxisKernel& of(const std::string& key) const;
    // Position in version order, for sorting; kernels() size for an unknown key.
    std::size_t rank(const std::string& key) const;
    bool any_emulated() const;

private:
    std::vector<AxisKernel> kernels_;
    AxisKernel unknown_;
};

// The entries of kernel_runs in version order (results.json lists them so).
void sort_kernel_runs(std::vector<KernelRun>& runs);

} // namespace hm
