#include "matrix/kernel_ref.h"

#include <algorithm>
#include <cctype>

namespace hm {

namespace {
constexpr const char* kForms =
    "expected host, debian:SERIES (e.g. debian:6.12), debian:sid, debian:experimental (or "
    "debian:rc), built:netdevsim, built:netdevsim-SERIES, or a path to a kernel image";

// "6.12", "5.10": the form of Debian's kernel series.
bool is_series(const std::string& s) {
    const auto dot = s.find('.');
    auto digits = [](std::string_view p) {
        return !p.empty() && p.size() <= 4 &&
               std::ranges::all_of(p, [](unsigned char c) { return std::isdigit(c) != 0; });
    };
    return dot != std::string::npos && digits(std::string_view(s).substr(0, dot)) &&
           digits(std::string_view(s).substr(dot + 1));
}
} // namespace

Result<KernelRef> parse_kernel_ref(const std::string& text) {
    KernelRef ref{.name = text};
    if (text == "host")
        return ref;
    if (text.starts_with("debian:")) {
        ref.kind = KernelRef::Kind::Debian;
        const std::string what = text.substr(7);
        // The suites whose kernel is tomorrow's: sid (unstable) and experimental (release
        // candidates, "rc"). Their series is known once the archive is read.
        if (what == "sid" || what == "experimental" || what == "rc") {
            ref.suite = what == "rc" ? "experimental" : what;
            return ref;
        }
        ref.series = what;
        if (!is_series(ref.series))
            return fail("kernel '" + text +
                        "': a Debian series is MAJOR.MINOR (e.g. debian:6.12), or one of "
                        "debian:sid, debian:experimental, debian:rc");
        return ref;
    }
    if (text.starts_with("built:")) {
        ref.kind = KernelRef::Kind::Built;
        const std::string what = text.substr(6);
        if (what == "netdevsim")
            ref.series = kDefaultBuiltSeries;
        else if (what.starts_with("netdevsim-") &&
                 (is_series(what.substr(10)) || what.substr(10) == "sid"))
            ref.series = what.substr(10);
        else
            return fail("kernel '" + text +
                        "': the kernels hookmatrix builds are built:netdevsim (from " +
                        kDefaultBuiltSeries +
                        ") and built:netdevsim-SERIES (e.g. built:netdevsim-7.2, "
                        "built:netdevsim-sid)");
        return ref;
    }
    if (text.find('/') != std::string::npos) {
        ref.kind = KernelRef::Kind::Path;
        ref.path = text;
        return ref;
    }
    return fail("unknown kernel '" + text + "': " + kForms);
}

std::string built_kernel_name(const std::string& series) {
    return series == kDefaultBuiltSeries ? "built:netdevsim" : "built:netdevsim-" + series;
}

std::string cache_key(const KernelRef& ref) {
    switch (ref.kind) {
    case KernelRef::Kind::Host: return "host";
    case KernelRef::Kind::Debian: return "debian-" + (ref.suite.empty() ? ref.series : ref.suite);
    case KernelRef::Kind::Built: {
        // built:netdevsim's directory from before other series could be built stays its own.
        std::string key = built_kernel_name(ref.series);
        key[key.find(':')] = '-';
        return key;
    }
    case KernelRef::Kind::Path: break;
    }
    std::string key = "path";
    for (char c : ref.path)
        key += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '_';
    return key;
}

} // namespace hm
