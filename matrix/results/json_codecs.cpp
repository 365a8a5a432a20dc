#include "matrix/results/json_codecs.h"

namespace hm::json_fields {

Status Text::read(const Reader& rd, const json& v, const std::string& at, std::string& out) const {
    if (!v.is_string())
        return rd.bad(at, "not a string");
    out = v.get<std::string>();
    return {};
}

Status VerdictWord::read(const Reader& rd, const json& v, const std::string& at,
                         Verdict& out) const {
    std::string word;
    if (auto s = text.read(rd, v, at, word); !s)
        return s;
    const auto parsed = parse_verdict(word);
    if (!parsed)
        return rd.bad(at, "'" + word + "' is not a verdict");
    out = *parsed;
    return {};
}

Status CpuIndex::read(const Reader& rd, const json& v, const std::string& at, int& out) const {
    std::uint32_t cpu = 0;
    if (auto s = number<std::uint32_t>.read(rd, v, at, cpu); !s)
        return s;
    out = static_cast<int>(cpu);
    return {};
}

} // namespace hm::json_fields
