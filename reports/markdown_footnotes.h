#pragma once
// GitHub-flavoured Markdown footnotes: a table cell carries "[^3]", the text goes below it. One
// footnote per distinct reason, listing every place it applies: a matrix across kernels repeats
// the same reason ("this kernel has no netdevsim") for dozens of cells, and a reader wants it once.
#include "reports/escape.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

namespace hm {

class MarkdownFootnotes {
public:
    // "[^N]" for `why` (escaped), noting that it applies to `where` ("xdpdrv on veth (6.1.0)").
    std::string add(const std::string& where, const std::string& why) {
        auto [it, fresh] = index_.emplace(why, notes_.size());
        if (fresh)
            notes_.push_back({why, {}});
        auto& places = notes_[it->second].places;
        if (!where.empty() && (places.empty() || places.back() != where))
            places.push_back(where);
        return fmt::format("[^{}]", it->second + 1);
    }
    std::string text() const {
        std::string out;
        for (std::size_t i = 0; i < notes_.size(); ++i) {
            const auto& [why, places] = notes_[i];
            if (places.size() == 1) {
                out += fmt::format("[^{}]: {}: {}\n", i + 1, markdown_escape(places.front()),
                                   markdown_escape(why));
                continue;
            }
            out += fmt::format("[^{}]: {}", i + 1, markdown_escape(why));
            if (!places.empty()) {
                out += fmt::format(" ({} places: ", places.size());
                for (std::size_t p = 0; p < places.size(); ++p)
                    out += (p ? "; " : "") + markdown_escape(places[p]);
                out += ")";
            }
            out += "\n";
        }
        return out;
    }

private:
    struct Note {
        std::string why;
        std::vector<std::string> places;
    };
    std::vector<Note> notes_;
    std::map<std::string, std::size_t> index_;
};

} // namespace hm
