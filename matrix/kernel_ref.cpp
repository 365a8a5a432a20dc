#include "matrix/kernel_ref.h"

#include <algorithm>
#include <cctype>

namespace hm {

namespace {
constexpr const char* kForms =
    "expected host, debian:SERIES (e.g. debian:6.12), built:netdevsim, or a path to a kernel "
    "image";

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
        ref.series = text.substr(7);
        if (!is_series(ref.series))
            return fail("kernel '" + text + "': a Debian series is MAJOR.MINOR, e.g. debian:6.12");
        return ref;
    }
    if (text.starts_with("built:")) {
        ref.kind = KernelRef::Kind::Built;
        ref.series = text.substr(6);
        if (ref.series != "netdevsim")
            return fail("kernel '" + text +
                        "': the kernels hookmatrix builds are: built:netdevsim");
        return ref;
    }
    if (text.find('/') != std::string::npos) {
        ref.kind = KernelRef::Kind::Path;
        ref.path = text;
        return ref;
    }
    return fail("unknown kernel '" + text + "': " + kForms);
}

std::string cache_key(const KernelRef& ref) {
    switch (ref.kind) {
    case KernelRef::Kind::Host: return "host";
    case KernelRef::Kind::Debian: return "debian-" + ref.series;
    case KernelRef::Kind::Built: return "built-" + ref.series;
    case KernelRef::Kind::Path: break;
    }
    std::string key = "path";
    for (char c : ref.path)
        key += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '_';
    return key;
}

} // namespace hm
