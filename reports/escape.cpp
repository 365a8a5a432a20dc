#include "reports/escape.h"

#include <fmt/format.h>

#include <cstdint>

namespace hm {

namespace {
constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD

// Length of the well-formed UTF-8 sequence at text[i] (1..4), or 0 when it is not one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const unsigned char c = b(0);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    if (i + n > text.size())
        return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(k) & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (b(k) & 0x3F);
    }
    // Overlong forms, surrogates, beyond U+10FFFF, and the non-characters XML forbids.
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || (cp >= 0xD800 && cp <= 0xDFFF) ||
        cp > 0x10FFFF || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return n;
}

// Walks `text` as UTF-8, handing each ASCII byte to `ascii` and copying other well-formed
// sequences; malformed bytes become U+FFFD.
template <class F> std::string transform_utf8(std::string_view text, F ascii) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8_length(text, i);
        if (n == 0) {
            out += kReplacement;
            ++i;
        } else if (n == 1) {
            ascii(out, text[i]);
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}
} // namespace

std::string xml_escape(std::string_view text, bool attribute) {
    return transform_utf8(text, [attribute](std::string& out, char c) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\t': out += attribute ? "&#9;" : "\t"; break;
        case '\n': out += attribute ? "&#10;" : "\n"; break;
        case '\r': out += "&#13;"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
                out += kReplacement;
            else
                out += c;
        }
    });
}

std::string markdown_escape(std::string_view text) {
    constexpr std::string_view kSpecial = "\\`*_[]<>|~$&";
    return transform_utf8(text, [&](std::string& out, char c) {
        if (c == '\n' || c == '\r' || c == '\t')
            out += ' ';
        else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            out += kReplacement;
        else if (kSpecial.find(c) != std::string_view::npos)
            out += '\\', out += c;
        else
            out += c;
    });
}

std::string terminal_text(std::string_view text) {
    return transform_utf8(text, [&](std::string& out, char c) {
        if (c == '\n' || c == '\t' || (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F))
            out += c;
        else
            out += kReplacement;
    });
}

std::string json_for_script(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    for (char c : json) {
        if (c == '<')
            out += "\\u003c";
        else
            out += c;
    }
    return out;
}

std::string short_ns(std::uint64_t ns) {
    if (ns < 1'000)
        return fmt::format("{} ns", ns);
    if (ns < 99'950)
        return fmt::format("{:.1f} µs", static_cast<double>(ns) / 1e3);
    if (ns < 999'500)
        return fmt::format("{:.0f} µs", static_cast<double>(ns) / 1e3);
    if (ns < 999'950'000)
        return fmt::format("{:.1f} ms", static_cast<double>(ns) / 1e6);
    return fmt::format("{:.1f} s", static_cast<double>(ns) / 1e9);
}

} // namespace hm
