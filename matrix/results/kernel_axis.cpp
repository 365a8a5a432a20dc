#include "matrix/results/kernel_axis.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <tuple>

namespace hm {

namespace {
// Reads the digits at `pos` into `out`; false when there are none.
bool number(std::string_view s, std::size_t& pos, int& out) {
    const char* begin = s.data() + pos;
    auto [end, ec] = std::from_chars(begin, s.data() + s.size(), out);
    if (ec != std::errc() || out < 0)
        return false;
    pos += static_cast<std::size_t>(end - begin);
    return true;
}

bool at(std::string_view s, std::size_t pos, char c) { return pos < s.size() && s[pos] == c; }

// Where a version could start: after "debian:" and the like, an axis name's prefix.
std::string_view version_part(std::string_view text) {
    const auto colon = text.find(':');
    return colon == std::string_view::npos ? text : text.substr(colon + 1);
}
} // namespace

std::strong_ordering KernelVersion::operator<=>(const KernelVersion& o) const {
    if (auto c = std::tie(major, minor, patch) <=> std::tie(o.major, o.minor, o.patch); c != 0)
        return c;
    // A release candidate comes before its release: rc 0 is the release, the largest of all.
    const auto rank = [](int rc) { return rc == 0 ? 1 << 30 : rc; };
    return rank(rc) <=> rank(o.rc);
}

std::optional<KernelVersion> parse_kernel_version(std::string_view text) {
    text = version_part(text);
    KernelVersion v;
    std::size_t pos = 0;
    if (!number(text, pos, v.major) || !at(text, pos, '.'))
        return std::nullopt;
    ++pos;
    if (!number(text, pos, v.minor))
        return std::nullopt;
    if (at(text, pos, '.')) {
        ++pos;
        if (!number(text, pos, v.patch))
            return std::nullopt;
    }
    // "-rc5" or Debian's "~rc5" right after the numbers.
    if ((at(text, pos, '-') || at(text, pos, '~')) && text.substr(pos + 1, 2) == "rc") {
        std::size_t rc_pos = pos + 3;
        int rc = 0;
        if (number(text, rc_pos, rc) && rc > 0)
            v.rc = rc;
    }
    return v;
}

std::string AxisKernel::label() const {
    std::string extra;
    if (host())
        extra = "host";
    else {
        if (!name.empty() && name != key)
            extra = name;
        if (!how.empty())
            extra += (extra.empty() ? "" : ", ") + (how == "tcg" ? std::string("TCG")
                                                   : how == "kvm" ? std::string("KVM")
                                                                  : how);
    }
    return extra.empty() ? key : key + " (" + extra + ")";
}

KernelAxis::KernelAxis(const RunResult& result) {
    auto add = [&](const std::string& key) {
        if (key.empty() ||
            std::ranges::any_of(kernels_, [&](const AxisKernel& k) { return k.key == key; }))
            return;
        AxisKernel k{.key = key};
        // A guest that never reported its release has cells named as its axis name.
        auto run = std::ranges::find_if(result.run.kernel_runs, [&](const KernelRun& r) {
            return r.release == key || (r.release.empty() && r.name == key);
        });
        if (run != result.run.kernel_runs.end()) {
            k.name = run->name;
            k.how = run->how;
        } else if (key == result.run.kernel_release && result.run.kernels.empty()) {
            // Results written before kernel_runs named the host.
            k.name = "host";
            k.how = "host";
        }
        k.version = parse_kernel_version(key);
        if (!k.version && !k.name.empty())
            k.version = parse_kernel_version(k.name);
        kernels_.push_back(std::move(k));
    };
    for (const auto& c : result.cells)
        add(c.kernel);
    for (const auto& c : result.choirs)
        add(c.kernel);
    for (const auto& r : result.run.kernel_runs)
        add(r.release.empty() ? r.name : r.release);
    // Stable: kernels of one version (two builds of 6.12) keep the order the run met them in.
    std::ranges::stable_sort(kernels_, [](const AxisKernel& a, const AxisKernel& b) {
        if (a.version.has_value() != b.version.has_value())
            return a.version.has_value();
        if (a.version && *a.version != *b.version)
            return *a.version < *b.version;
        return false;
    });
}

const AxisKernel& KernelAxis::of(const std::string& key) const {
    auto it = std::ranges::find(kernels_, key, &AxisKernel::key);
    return it == kernels_.end() ? unknown_ : *it;
}

std::size_t KernelAxis::rank(const std::string& key) const {
    return static_cast<std::size_t>(std::ranges::find(kernels_, key, &AxisKernel::key) -
                                    kernels_.begin());
}

bool KernelAxis::any_emulated() const {
    return std::ranges::any_of(kernels_, &AxisKernel::emulated);
}

void sort_kernel_runs(std::vector<KernelRun>& runs) {
    auto version = [](const KernelRun& r) {
        auto v = parse_kernel_version(r.release);
        return v ? v : parse_kernel_version(r.name);
    };
    std::ranges::stable_sort(runs, [&](const KernelRun& a, const KernelRun& b) {
        const auto va = version(a), vb = version(b);
        if (va.has_value() != vb.has_value())
            return va.has_value();
        return va && *va < *vb;
    });
}

} // namespace hm
