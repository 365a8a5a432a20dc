#include "matrix/result.h"

namespace hm {

std::string_view to_string(Verdict v) {
    switch (v) {
    case Verdict::Pass: return "pass";
    case Verdict::Fail: return "fail";
    case Verdict::Unsupported: return "unsupported";
    case Verdict::Error: return "error";
    case Verdict::Attached: return "attached";
    }
    return "error";
}

std::optional<Verdict> parse_verdict(std::string_view s) {
    for (auto v : {Verdict::Pass, Verdict::Fail, Verdict::Unsupported, Verdict::Error,
                   Verdict::Attached})
        if (to_string(v) == s)
            return v;
    return std::nullopt;
}

bool ChoirResult::ok() const {
    if (unsupported)
        return true;
    if (!reason.empty())
        return false;
    for (const auto& v : voices)
        if (v.verdict == Verdict::Fail || v.verdict == Verdict::Error)
            return false;
    return true;
}

Summary summarize(const std::vector<CellResult>& cells) {
    Summary s;
    for (const auto& c : cells) {
        switch (c.verdict) {
        case Verdict::Pass: ++s.pass; break;
        case Verdict::Fail: ++s.fail; break;
        case Verdict::Unsupported: ++s.unsupported; break;
        case Verdict::Error: ++s.error; break;
        case Verdict::Attached: ++s.attached; break;
        }
    }
    return s;
}

} // namespace hm
