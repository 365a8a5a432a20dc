#include "runners/programs/libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace hm {

namespace {
thread_local std::string* sink = nullptr;

int print(enum libbpf_print_level level, const char* fmt, va_list args) {
    static const bool debug = std::getenv("HOOKMATRIX_LIBBPF_DEBUG") != nullptr;
    if (debug)
        return std::vfprintf(stderr, fmt, args);
    if (level != LIBBPF_WARN || !sink)
        return 0;
    char buf[4096];
    int n = std::vsnprintf(buf, sizeof buf, fmt, args);
    sink->append(buf,
                 n < 0 ? 0 : std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buf - 1));
    return n;
}

[[maybe_unused]] const bool installed = [] {
    libbpf_set_print(print);
    return true;
}();
} // namespace

LibbpfLogCapture::LibbpfLogCapture() : previous_(sink) {
    sink = &text_;
}
LibbpfLogCapture::~LibbpfLogCapture() {
    sink = previous_;
}
std::string LibbpfLogCapture::take() {
    return std::exchange(text_, {});
}

} // namespace hm
