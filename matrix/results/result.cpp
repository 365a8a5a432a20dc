#include "matrix/results/result.h"

namespace hm {

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
        if (c.expected_met()) {
            ++s.expected;
            continue;
        }
        s.fixed += c.expected_outcome() == CellResult::Expected::Outcome::Fixed;
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
