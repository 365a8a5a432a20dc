#include "matrix/results/result_fields.h"

namespace hm {

using namespace json_fields;

namespace {
const List<std::string> kHookNames{"not an array", "holds something other than hook names"};

// A choir keeps no per-packet values, so a voice's latency summary is read as written.
Fields<ChoirVoice> voice_fields() {
    return {
        field("hook", &ChoirVoice::hook, text),
        field("verdict", &ChoirVoice::verdict, verdict_word),
        field("reason", &ChoirVoice::reason, text),
        field("fired", &ChoirVoice::fired, number<std::uint32_t>),
        field("attachment", &ChoirVoice::attachment, text).if_set(),
        field("latency_ns", &ChoirVoice::latency, object(latency_fields()))
            .written_if([](const ChoirVoice& v) { return v.latency.samples != 0; }),
    };
}

Fields<ChoirDeviation> deviation_fields() {
    return {
        field("seq", &ChoirDeviation::seq, number<std::uint32_t>),
        field("order", &ChoirDeviation::order, kHookNames),
    };
}

using LeftOut = std::pair<std::string, std::string>; // hook, why it is not in the choir

Fields<LeftOut> left_out_fields() {
    return {
        field("hook", &LeftOut::first, text),
        field("reason", &LeftOut::second, text),
    };
}
} // namespace

const Fields<ChoirResult>& choir_fields() {
    static const Fields<ChoirResult> fields{
        field("device", &ChoirResult::device, text),
        field("kernel", &ChoirResult::kernel, text),
        field("packets", &ChoirResult::packets, number<std::uint32_t>),
        field("order", &ChoirResult::order, kHookNames),
        field("same_order", &ChoirResult::same_order, number<std::uint32_t>),
        // Not read back (nor ever was): a choir read from a file has no trace order.
        field("trace_order", &ChoirResult::trace_order, strings).written_only(),
        field("deviations", &ChoirResult::deviations,
              objects(deviation_fields(), ObjectCheck::None))
            .read_late(),
        field("hooks", &ChoirResult::voices, objects(voice_fields(), ObjectCheck::NamedWithDot))
            .read_late(),
        // Files of an older hookmatrix may lack it.
        field("left_out", &ChoirResult::left_out, objects(left_out_fields(), ObjectCheck::None))
            .defaulted()
            .read_late(),
        field("duration_s", &ChoirResult::duration_s, number<double>),
        field("reason", &ChoirResult::reason, text).if_set(),
        field("unsupported", &ChoirResult::unsupported, flag).if_set(),
    };
    return fields;
}

} // namespace hm
