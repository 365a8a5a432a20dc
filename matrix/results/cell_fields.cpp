#include "matrix/results/result_fields.h"

#include "matrix/results/expectations.h"

namespace hm {

using namespace json_fields;

const Fields<LatencyStats>& latency_fields() {
    static const Fields<LatencyStats> fields{
        field("samples", &LatencyStats::samples, number<std::uint64_t>),
        field("min", &LatencyStats::min, number<std::uint64_t>),
        field("p50", &LatencyStats::p50, number<std::uint64_t>),
        field("p90", &LatencyStats::p90, number<std::uint64_t>),
        field("p99", &LatencyStats::p99, number<std::uint64_t>),
        field("max", &LatencyStats::max, number<std::uint64_t>),
        field("mean", &LatencyStats::mean, number<double>),
    };
    return fields;
}

namespace {
// Per-packet latencies. More than a day is nothing a cell measured (its replies time out within
// a minute); the bound also keeps the statistics' differences of two values inside 63 bits
// (values near 2^63 were undefined behaviour in the rank test, found by tests/fuzz).
struct LatencyValues {
    static constexpr std::uint64_t kMaxNs = 86'400'000'000'000;
    static constexpr List<std::uint64_t> list{"not an array", "holds something other than whole ns"};

    json write(const std::vector<std::uint64_t>& v) const { return list.write(v); }
    Status read(const Reader& rd, const json& v, const std::string& at,
                std::vector<std::uint64_t>& out) const {
        if (auto ok = list.read(rd, v, at, out); !ok)
            return ok;
        for (std::uint64_t ns : out)
            if (ns > kMaxNs)
                return rd.bad(at, "holds " + std::to_string(ns) +
                                      " ns, more than a day: not a latency hookmatrix measured");
        return {};
    }
};

bool has_latency(const CellResult& c) {
    return c.latency.samples != 0;
}

// --expect's mark. Its outcome is for people: a reader recomputes it from the verdicts, so it
// cannot disagree with them.
struct ExpectedCodec {
    static const Fields<CellResult::Expected>& fields() {
        static const Fields<CellResult::Expected> f{
            field("verdict", &CellResult::Expected::verdict, verdict_word),
            field("reason", &CellResult::Expected::reason, text),
        };
        return f;
    }
    json write(const CellResult& c) const {
        json j = write_fields(*c.expected, fields());
        j["outcome"] = std::string(to_string(*c.expected_outcome()));
        return j;
    }
    Status read(const Reader& rd, const json& v, const std::string& at, CellResult& c) const {
        CellResult::Expected e;
        if (auto s = object(fields()).read(rd, v, at, e); !s)
            return s;
        if (e.verdict == Verdict::Pass)
            return rd.bad(path_to(at, "verdict"), "pass cannot be expected");
        c.expected = std::move(e);
        return {};
    }
};
} // namespace

const Fields<CellResult>& cell_fields() {
    static const Fields<CellResult> fields = concat(
        cell_head_fields<CellResult>(),
        {
            group<CellResult>("packets",
                              {
                                  field("sent", &CellResult::packets_sent, number<std::uint32_t>),
                                  field("fired", &CellResult::fired, number<std::uint32_t>),
                                  field("replies", &CellResult::replies, number<std::uint32_t>),
                              })
                .read_late(),
            field("duration_s", &CellResult::duration_s, number<double>).read_late(),
            field("detail", &CellResult::detail, text).if_set(),
            field("attachment", &CellResult::attachment, text).if_set(),
            field("trace", &CellResult::trace, strings).if_set(),
            field("origin", &CellResult::origin, text).if_set().read_late(),
            field("remeasured", &CellResult::remeasured, number<std::uint32_t>)
                .if_set()
                .read_late(),
            whole<CellResult>("expected", ExpectedCodec{})
                .written_if([](const CellResult& c) { return c.expected.has_value(); })
                .read_late(),
            // Unchecked: a latency_ns that is not an object says its "values" are missing.
            group<CellResult>(
                "latency_ns",
                {
                    // The summary is for people: a reader recomputes it from the values, so the two
                    // cannot disagree.
                    field("", &CellResult::latency, object(latency_fields())).written_only(),
                    field("values", &CellResult::samples_ns, LatencyValues{})
                        .after_read([](CellResult& c) { c.latency = summarize(c.samples_ns); }),
                },
                ObjectCheck::None)
                .written_if(has_latency)
                .read_late(),
        });
    return fields;
}

} // namespace hm
