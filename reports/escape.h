#pragma once
// Escaping for the report formats. Every string in a report that came from results (reasons,
// verifier logs, hook names, command lines) goes through one of these, so a kernel message with
// "<", "|" or a stray control byte cannot break the file or inject markup.
#include <cstdint>
#include <string>
#include <string_view>

namespace hm {

// Text for XML 1.0 and HTML, in element content and in quoted attributes: & < > " ' become
// entities; tab, newline and carriage return become character references in attributes (a
// parser would fold them to spaces there) and stay as they are in content; other control
// characters, which XML 1.0 cannot carry at all, and bytes that are not UTF-8 become U+FFFD.
std::string xml_escape(std::string_view text, bool attribute = false);

// Text for one line of GitHub-flavoured Markdown, also inside a table cell: Markdown's special
// ASCII punctuation (| which would split the cell, emphasis, links, code, HTML, math, entities)
// is backslash-escaped, line breaks become spaces, control characters and bytes that are not UTF-8
// become U+FFFD.
std::string markdown_escape(std::string_view text);

// Text for a terminal: control characters other than newline and tab (an escape sequence in a
// kernel message or a results file could move the cursor or retitle the window) and bytes that
// are not UTF-8 become U+FFFD.
std::string terminal_text(std::string_view text);

// JSON placed inside <script type="application/json">: every '<' becomes \u003c, so neither
// "</script>" nor "<!--" in a string can end or confuse the element. Still valid JSON.
std::string json_for_script(std::string_view json);

// "812 ns", "2.4 µs", "1.2 ms": a latency for a table cell.
std::string short_ns(std::uint64_t ns);

} // namespace hm
