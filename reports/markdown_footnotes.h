#pragma once
// GitHub-flavoured Markdown footnotes: a table cell carries "[^3]", the text goes below it.
#include "reports/escape.h"

#include <fmt/format.h>

#include <string>

namespace hm {

class MarkdownFootnotes {
public:
    // "[^N]", after noting `text` (escaped) as footnote N.
    std::string add(const std::string& text) {
        notes_ += fmt::format("[^{}]: {}\n", ++n_, markdown_escape(text));
        return fmt::format("[^{}]", n_);
    }
    const std::string& text() const { return notes_; }

private:
    int n_ = 0;
    std::string notes_;
};

} // namespace hm
