#include "matrix/results/result_fields.h"
#include "matrix/results/results_json.h"

#include <fmt/chrono.h>

#include <chrono>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace hm {

using namespace json_fields;

namespace {
using Clock = std::chrono::system_clock;

// Whole seconds, UTC: "2026-01-31T12:00:00Z".
struct UtcTime {
    json write(Clock::time_point t) const {
        // fmt 9 formats a system_clock time point in local time; the Z promises UTC.
        return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(Clock::to_time_t(t)));
    }
    Status read(const Reader& rd, const json& v, const std::string& at,
                Clock::time_point& out) const {
        std::string s;
        if (auto ok = text.read(rd, v, at, s); !ok)
            return ok;
        std::tm tm{};
        std::istringstream in(s);
        in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
        if (in.fail() || in.get() != 'Z' || in.peek() != EOF)
            return rd.bad(at, "'" + s + "' is not a UTC time like 2026-01-31T12:00:00Z");
        // system_clock counts nanoseconds in 64 bits: 1678 to 2262. A year outside what any run
        // could have started in is refused, not overflowed (found by tests/fuzz results).
        if (tm.tm_year + 1900 < 1970 || tm.tm_year + 1900 > 2200)
            return rd.bad(at, "'" + s + "': the year is outside 1970..2200");
        out = Clock::from_time_t(::timegm(&tm));
        return {};
    }
};

constexpr const char* kNotResults = "missing (is this a hookmatrix results.json?)";

// The document's first key, checked before anything else is read.
struct Schema {
    json write(const RunResult&) const { return kResultsSchema; }
    Status read(const Reader& rd, const json& v, const std::string& at, RunResult&) const {
        if (!v.is_string())
            return rd.bad(at, kNotResults);
        if (v != kResultsSchema)
            return rd.bad(at, "'" + v.get<std::string>() +
                                  "' is not supported (this hookmatrix reads " + kResultsSchema +
                                  ")");
        return {};
    }
};

Fields<KernelRun> kernel_run_fields() {
    return {
        field("name", &KernelRun::name, text),
        field("release", &KernelRun::release, text).defaulted(),
        field("how", &KernelRun::how, text),
        field("origin", &KernelRun::origin, text).defaulted(),
        field("boot_s", &KernelRun::boot_s, number<double>),
        field("wall_s", &KernelRun::wall_s, number<double>),
        field("error", &KernelRun::error, text).if_set(),
    };
}

Fields<RunInfo> run_info_fields() {
    const List<std::string> names{"not an array of strings", "not an array of strings"};
    return {
        field("tool_version", &RunInfo::tool_version, text),
        field("libbpf_version", &RunInfo::libbpf_version, text),
        field("host", &RunInfo::host, text),
        field("kernel", &RunInfo::kernel_release, text),
        field("command", &RunInfo::command_line, text).defaulted(),
        field("started", &RunInfo::started, UtcTime{}),
        field("duration_s", &RunInfo::duration_s, number<double>),
        field("packets_per_cell", &RunInfo::packets_per_cell, number<std::uint32_t>),
        field("shard", &RunInfo::shard, text).if_set(),
        field("cpu", &RunInfo::cpu, maybe(cpu_index)).if_set(),
        field("hosts", &RunInfo::hosts, names).if_set(),
        field("kernels", &RunInfo::kernels, names).if_set(),
        field("kernel_runs", &RunInfo::kernel_runs, objects(kernel_run_fields())).if_set(),
    };
}
} // namespace

const Fields<RunResult>& run_result_fields() {
    static const Fields<RunResult> fields{
        whole<RunResult>("schema", Schema{}).missing_says(kNotResults),
        field("run", &RunResult::run, object(run_info_fields())),
        field("cells", &RunResult::cells, objects(cell_fields())),
        // Files written before choirs existed have none.
        field("choirs", &RunResult::choirs, objects(choir_fields())).defaulted(),
        // Only `hookmatrix bench` writes them, and older readers never see them otherwise.
        field("bench", &RunResult::throughput, objects(throughput_fields())).if_set(),
        field("bench_ratios", &RunResult::throughput_ratios, objects(throughput_ratio_fields()))
            .if_set(),
    };
    return fields;
}

} // namespace hm
