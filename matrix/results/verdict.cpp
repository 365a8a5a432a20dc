#include "matrix/results/verdict.h"

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

} // namespace hm
