#include "matrix/results/results_json.h"

#include "core/atomic_file.h"

#include <algorithm>
#include <chrono>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

namespace hm {

using json = nlohmann::ordered_json;

namespace {
std::string iso8601(std::chrono::system_clock::time_point t) {
    // fmt 9 formats a system_clock time point in local time; the Z promises UTC.
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(t)));
}

Result<std::chrono::system_clock::time_point> parse_iso8601(const std::string& s) {
    std::tm tm{};
    std::istringstream in(s);
    in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
    if (in.fail() || in.get() != 'Z' || in.peek() != EOF)
        return fail("'" + s + "' is not a UTC time like 2026-01-31T12:00:00Z");
    return std::chrono::system_clock::from_time_t(::timegm(&tm));
}
} // namespace

json to_json(const CellResult& c) {
    json j{{"hook", c.hook},
           {"device", c.device},
           {"kernel", c.kernel},
           {"verdict", std::string(to_string(c.verdict))},
           {"reason", c.reason},
           {"packets", {{"sent", c.packets_sent}, {"fired", c.fired}, {"replies", c.replies}}},
           {"duration_s", c.duration_s}};
    if (!c.detail.empty())
        j["detail"] = c.detail;
    if (!c.attachment.empty())
        j["attachment"] = c.attachment;
    if (!c.trace.empty())
        j["trace"] = c.trace;
    if (c.remeasured)
        j["remeasured"] = c.remeasured;
    if (c.latency.samples) {
        j["latency_ns"] = {{"samples", c.latency.samples}, {"min", c.latency.min},
                           {"p50", c.latency.p50},         {"p90", c.latency.p90},
                           {"p99", c.latency.p99},         {"max", c.latency.max},
                           {"mean", c.latency.mean},       {"values", c.samples_ns}};
    }
    return j;
}

namespace {
json latency_json(const LatencyStats& l) {
    return {{"samples", l.samples}, {"min", l.min}, {"p50", l.p50}, {"p90", l.p90},
            {"p99", l.p99},         {"max", l.max}, {"mean", l.mean}};
}
} // namespace

json to_json(const ChoirResult& c) {
    json voices = json::array();
    for (const auto& v : c.voices) {
        json j{{"hook", v.hook},
               {"verdict", std::string(to_string(v.verdict))},
               {"reason", v.reason},
               {"fired", v.fired}};
        if (!v.attachment.empty())
            j["attachment"] = v.attachment;
        if (v.latency.samples)
            j["latency_ns"] = latency_json(v.latency);
        voices.push_back(std::move(j));
    }
    json deviations = json::array();
    for (const auto& d : c.deviations)
        deviations.push_back({{"seq", d.seq}, {"order", d.order}});
    json left_out = json::array();
    for (const auto& [hook, why] : c.left_out)
        left_out.push_back({{"hook", hook}, {"reason", why}});
    json j{{"device", c.device},
           {"kernel", c.kernel},
           {"packets", c.packets},
           {"order", c.order},
           {"same_order", c.same_order},
           {"trace_order", c.trace_order},
           {"deviations", std::move(deviations)},
           {"hooks", std::move(voices)},
           {"left_out", std::move(left_out)},
           {"duration_s", c.duration_s}};
    if (!c.reason.empty())
        j["reason"] = c.reason;
    if (c.unsupported)
        j["unsupported"] = true;
    return j;
}

json to_json(const ThroughputResult& b) {
    json windows = json::array();
    for (const auto& w : b.windows)
        windows.push_back({{"seconds", w.seconds},
                           {"counted", w.counted},
                           {"sent", w.sent},
                           {"cpu_busy", w.cpu_busy},
                           {"cpu_busy_per_cpu", w.cpu_busy_per_cpu}});
    json j{{"hook", b.hook},
           {"device", b.device},
           {"kernel", b.kernel},
           {"verdict", std::string(to_string(b.verdict))},
           {"reason", b.reason},
           {"action", b.action},
           {"method", b.method},
           {"cpu_layout", b.cpu_layout}};
    if (!b.attachment.empty())
        j["attachment"] = b.attachment;
    if (b.generator_cpu)
        j["generator_cpu"] = static_cast<unsigned>(*b.generator_cpu);
    // Derived from the windows, for people reading the file; the reader recomputes them.
    if (!b.windows.empty()) {
        j["pps"] = {{"median", b.pps_median()}, {"min", b.pps_min()}, {"max", b.pps_max()}};
        j["ns_per_packet"] = b.ns_per_packet_median();
        j["cpu_busy"] = b.cpu_busy_median();
    }
    j["windows"] = std::move(windows);
    return j;
}

json to_json(const ThroughputRatio& r) {
    json j{{"device", r.device}, {"kernel", r.kernel}};
    if (r.hookmatrix)
        j["hookmatrix"] = *r.hookmatrix;
    else
        j["hookmatrix_note"] = r.hookmatrix_note;
    if (r.xdp_bench)
        j["xdp_bench"] = *r.xdp_bench;
    if (r.xdp_bench_native_pps)
        j["xdp_bench_native_pps"] = *r.xdp_bench_native_pps;
    if (r.xdp_bench_skb_pps)
        j["xdp_bench_skb_pps"] = *r.xdp_bench_skb_pps;
    if (!r.xdp_bench_note.empty())
        j["xdp_bench_note"] = r.xdp_bench_note;
    return j;
}

json to_json(const RunResult& r) {
    json cells = json::array();
    for (const auto& c : r.cells)
        cells.push_back(to_json(c));
    json choirs = json::array();
    for (const auto& c : r.choirs)
        choirs.push_back(to_json(c));
    json run{{"tool_version", r.run.tool_version},
             {"libbpf_version", r.run.libbpf_version},
             {"host", r.run.host},
             {"kernel", r.run.kernel_release},
             {"command", r.run.command_line},
             {"started", iso8601(r.run.started)},
             {"duration_s", r.run.duration_s},
             {"packets_per_cell", r.run.packets_per_cell}};
    if (!r.run.shard.empty())
        run["shard"] = r.run.shard;
    if (r.run.cpu)
        run["cpu"] = static_cast<unsigned>(*r.run.cpu); // the reader wants unsigned
    if (!r.run.hosts.empty())
        run["hosts"] = r.run.hosts;
    if (!r.run.kernels.empty())
        run["kernels"] = r.run.kernels;
    if (!r.run.kernel_runs.empty()) {
        json runs = json::array();
        for (const KernelRun& k : r.run.kernel_runs) {
            json one{{"name", k.name}, {"release", k.release}, {"how", k.how},
                     {"origin", k.origin}, {"boot_s", k.boot_s}, {"wall_s", k.wall_s}};
            if (!k.error.empty())
                one["error"] = k.error;
            runs.push_back(std::move(one));
        }
        run["kernel_runs"] = std::move(runs);
    }
    json doc{{"schema", kResultsSchema},
             {"run", std::move(run)},
             {"cells", std::move(cells)},
             {"choirs", std::move(choirs)}};
    // Optional: only `hookmatrix bench` writes them, and older readers never see them otherwise.
    if (!r.throughput.empty()) {
        doc["bench"] = json::array();
        for (const auto& b : r.throughput)
            doc["bench"].push_back(to_json(b));
    }
    if (!r.throughput_ratios.empty()) {
        doc["bench_ratios"] = json::array();
        for (const auto& b : r.throughput_ratios)
            doc["bench_ratios"].push_back(to_json(b));
    }
    return doc;
}

namespace {
// Reads one member with the type the schema gives it; errors name the path: "cells[2].reason".
class Reader {
public:
    explicit Reader(const std::string& source) : source_(source) {}

    std::unexpected<Error> bad(const std::string& where, const std::string& what) const {
        return fail(source_ + ": " + where + ": " + what);
    }

    Result<const json*> member(const json& obj, const std::string& where, const char* key) const {
        auto it = obj.find(key);
        if (it == obj.end())
            return bad(where + key, "missing");
        return &*it;
    }
    Result<std::string> string(const json& obj, const std::string& where, const char* key,
                               bool optional = false) const {
        if (optional && !obj.contains(key))
            return std::string();
        auto m = member(obj, where, key);
        if (!m)
            return std::unexpected(m.error());
        if (!(*m)->is_string())
            return bad(where + key, "not a string");
        return (*m)->get<std::string>();
    }
    template <class T> Result<T> number(const json& obj, const std::string& where, const char* key) const {
        auto m = member(obj, where, key);
        if (!m)
            return std::unexpected(m.error());
        if constexpr (std::is_floating_point_v<T>) {
            if (!(*m)->is_number())
                return bad(where + key, "not a number");
        } else if (!(*m)->is_number_unsigned() || (*m)->get<std::uint64_t>() > std::numeric_limits<T>::max()) {
            return bad(where + key, "not a whole number in range");
        }
        return (*m)->get<T>();
    }

private:
    const std::string& source_;
};

#define HM_READ(target, expr)                                                                      \
    do {                                                                                           \
        auto v_ = (expr);                                                                          \
        if (!v_)                                                                                   \
            return std::unexpected(v_.error());                                                   \
        target = std::move(*v_);                                                                   \
    } while (0)

Result<CellResult> cell_from_json(const Reader& rd, const json& c, const std::string& where) {
    if (!c.is_object())
        return rd.bad(where, "not an object");
    CellResult cell;
    const std::string at = where + ".";
    HM_READ(cell.hook, rd.string(c, at, "hook"));
    HM_READ(cell.device, rd.string(c, at, "device"));
    HM_READ(cell.kernel, rd.string(c, at, "kernel"));
    std::string verdict;
    HM_READ(verdict, rd.string(c, at, "verdict"));
    auto v = parse_verdict(verdict);
    if (!v)
        return rd.bad(at + "verdict", "'" + verdict + "' is not a verdict");
    cell.verdict = *v;
    HM_READ(cell.reason, rd.string(c, at, "reason"));
    HM_READ(cell.detail, rd.string(c, at, "detail", true));
    HM_READ(cell.attachment, rd.string(c, at, "attachment", true));
    if (c.contains("trace")) {
        if (!c["trace"].is_array())
            return rd.bad(at + "trace", "not an array");
        for (const json& line : c["trace"]) {
            if (!line.is_string())
                return rd.bad(at + "trace", "holds something other than strings");
            cell.trace.push_back(line.get<std::string>());
        }
    }
    const json* packets = nullptr;
    HM_READ(packets, rd.member(c, at, "packets"));
    if (!packets->is_object())
        return rd.bad(at + "packets", "not an object");
    HM_READ(cell.packets_sent, rd.number<std::uint32_t>(*packets, at + "packets.", "sent"));
    HM_READ(cell.fired, rd.number<std::uint32_t>(*packets, at + "packets.", "fired"));
    HM_READ(cell.replies, rd.number<std::uint32_t>(*packets, at + "packets.", "replies"));
    HM_READ(cell.duration_s, rd.number<double>(c, at, "duration_s"));
    if (c.contains("remeasured"))
        HM_READ(cell.remeasured, rd.number<std::uint32_t>(c, at, "remeasured"));
    if (c.contains("latency_ns")) {
        const json& l = c["latency_ns"];
        const json* values = nullptr;
        HM_READ(values, rd.member(l, at + "latency_ns.", "values"));
        if (!values->is_array())
            return rd.bad(at + "latency_ns.values", "not an array");
        for (const json& x : *values) {
            if (!x.is_number_unsigned())
                return rd.bad(at + "latency_ns.values", "holds something other than whole ns");
            cell.samples_ns.push_back(x.get<std::uint64_t>());
        }
        // The summary is derived from the samples, so it cannot disagree with them.
        cell.latency = summarize(cell.samples_ns);
    }
    return cell;
}
Result<std::vector<std::string>> hook_list(const Reader& rd, const json& obj,
                                            const std::string& where, const char* key) {
    const json* list = nullptr;
    HM_READ(list, rd.member(obj, where, key));
    if (!list->is_array())
        return rd.bad(where + key, "not an array");
    std::vector<std::string> out;
    for (const json& h : *list) {
        if (!h.is_string())
            return rd.bad(where + key, "holds something other than hook names");
        out.push_back(h.get<std::string>());
    }
    return out;
}

Result<LatencyStats> choir_latency(const Reader& rd, const json& l, const std::string& where) {
    if (!l.is_object())
        return rd.bad(where, "not an object");
    LatencyStats s;
    const std::string at = where + ".";
    HM_READ(s.samples, rd.number<std::uint64_t>(l, at, "samples"));
    HM_READ(s.min, rd.number<std::uint64_t>(l, at, "min"));
    HM_READ(s.p50, rd.number<std::uint64_t>(l, at, "p50"));
    HM_READ(s.p90, rd.number<std::uint64_t>(l, at, "p90"));
    HM_READ(s.p99, rd.number<std::uint64_t>(l, at, "p99"));
    HM_READ(s.max, rd.number<std::uint64_t>(l, at, "max"));
    HM_READ(s.mean, rd.number<double>(l, at, "mean"));
    return s;
}

// A choir keeps no per-packet values, so its latency summary is read as written.
Result<ChoirResult> choir_from_json(const Reader& rd, const json& c, const std::string& where) {
    if (!c.is_object())
        return rd.bad(where, "not an object");
    ChoirResult choir;
    const std::string at = where + ".";
    HM_READ(choir.device, rd.string(c, at, "device"));
    HM_READ(choir.kernel, rd.string(c, at, "kernel"));
    HM_READ(choir.packets, rd.number<std::uint32_t>(c, at, "packets"));
    HM_READ(choir.order, hook_list(rd, c, at, "order"));
    HM_READ(choir.same_order, rd.number<std::uint32_t>(c, at, "same_order"));
    HM_READ(choir.duration_s, rd.number<double>(c, at, "duration_s"));
    HM_READ(choir.reason, rd.string(c, at, "reason", true));
    if (c.contains("unsupported"))
        choir.unsupported = c["unsupported"].is_boolean() && c["unsupported"].get<bool>();
    const json* deviations = nullptr;
    HM_READ(deviations, rd.member(c, at, "deviations"));
    if (!deviations->is_array())
        return rd.bad(at + "deviations", "not an array");
    for (std::size_t i = 0; i < deviations->size(); ++i) {
        const std::string dat = fmt::format("{}deviations[{}].", at, i);
        ChoirDeviation d;
        HM_READ(d.seq, rd.number<std::uint32_t>((*deviations)[i], dat, "seq"));
        HM_READ(d.order, hook_list(rd, (*deviations)[i], dat, "order"));
        choir.deviations.push_back(std::move(d));
    }
    const json* hooks = nullptr;
    HM_READ(hooks, rd.member(c, at, "hooks"));
    if (!hooks->is_array())
        return rd.bad(at + "hooks", "not an array");
    for (std::size_t i = 0; i < hooks->size(); ++i) {
        const json& h = (*hooks)[i];
        const std::string hat = fmt::format("{}hooks[{}].", at, i);
        if (!h.is_object())
            return rd.bad(hat, "not an object");
        ChoirVoice v;
        HM_READ(v.hook, rd.string(h, hat, "hook"));
        std::string verdict;
        HM_READ(verdict, rd.string(h, hat, "verdict"));
        auto parsed = parse_verdict(verdict);
        if (!parsed)
            return rd.bad(hat + "verdict", "'" + verdict + "' is not a verdict");
        v.verdict = *parsed;
        HM_READ(v.reason, rd.string(h, hat, "reason"));
        HM_READ(v.fired, rd.number<std::uint32_t>(h, hat, "fired"));
        HM_READ(v.attachment, rd.string(h, hat, "attachment", true));
        if (h.contains("latency_ns"))
            HM_READ(v.latency, choir_latency(rd, h["latency_ns"], hat + "latency_ns"));
        choir.voices.push_back(std::move(v));
    }
    if (c.contains("left_out")) {
        if (!c["left_out"].is_array())
            return rd.bad(at + "left_out", "not an array");
        for (std::size_t i = 0; i < c["left_out"].size(); ++i) {
            const std::string lat = fmt::format("{}left_out[{}].", at, i);
            std::string hook, why;
            HM_READ(hook, rd.string(c["left_out"][i], lat, "hook"));
            HM_READ(why, rd.string(c["left_out"][i], lat, "reason"));
            choir.left_out.emplace_back(std::move(hook), std::move(why));
        }
    }
    return choir;
}

Result<std::optional<double>> optional_number(const Reader& rd, const json& obj,
                                              const std::string& where, const char* key) {
    if (!obj.contains(key))
        return std::optional<double>();
    double v = 0;
    HM_READ(v, rd.number<double>(obj, where, key));
    return std::optional<double>(v);
}

Result<ThroughputResult> throughput_from_json(const Reader& rd, const json& b, const std::string& where) {
    if (!b.is_object())
        return rd.bad(where, "not an object");
    ThroughputResult r;
    const std::string at = where + ".";
    HM_READ(r.hook, rd.string(b, at, "hook"));
    HM_READ(r.device, rd.string(b, at, "device"));
    HM_READ(r.kernel, rd.string(b, at, "kernel"));
    std::string verdict;
    HM_READ(verdict, rd.string(b, at, "verdict"));
    auto v = parse_verdict(verdict);
    if (!v)
        return rd.bad(at + "verdict", "'" + verdict + "' is not a verdict");
    r.verdict = *v;
    HM_READ(r.reason, rd.string(b, at, "reason"));
    HM_READ(r.action, rd.string(b, at, "action"));
    if (r.action != "drop" && r.action != "pass")
        return rd.bad(at + "action", "'" + r.action + "' is neither drop nor pass");
    HM_READ(r.method, rd.string(b, at, "method"));
    HM_READ(r.cpu_layout, rd.string(b, at, "cpu_layout"));
    HM_READ(r.attachment, rd.string(b, at, "attachment", true));
    if (b.contains("generator_cpu")) {
        std::uint32_t cpu = 0;
        HM_READ(cpu, rd.number<std::uint32_t>(b, at, "generator_cpu"));
        r.generator_cpu = static_cast<int>(cpu);
    }
    const json* windows = nullptr;
    HM_READ(windows, rd.member(b, at, "windows"));
    if (!windows->is_array())
        return rd.bad(at + "windows", "not an array");
    for (std::size_t i = 0; i < windows->size(); ++i) {
        const json& w = (*windows)[i];
        const std::string wat = fmt::format("{}windows[{}].", at, i);
        if (!w.is_object())
            return rd.bad(wat, "not an object");
        ThroughputWindow win;
        HM_READ(win.seconds, rd.number<double>(w, wat, "seconds"));
        HM_READ(win.counted, rd.number<std::uint64_t>(w, wat, "counted"));
        HM_READ(win.sent, rd.number<std::uint64_t>(w, wat, "sent"));
        HM_READ(win.cpu_busy, rd.number<double>(w, wat, "cpu_busy"));
        const json* per_cpu = nullptr;
        HM_READ(per_cpu, rd.member(w, wat, "cpu_busy_per_cpu"));
        if (!per_cpu->is_array() || !std::ranges::all_of(*per_cpu, &json::is_number))
            return rd.bad(wat + "cpu_busy_per_cpu", "not an array of numbers");
        for (const json& x : *per_cpu)
            win.cpu_busy_per_cpu.push_back(x.get<double>());
        r.windows.push_back(std::move(win));
    }
    return r;
}

Result<ThroughputRatio> throughput_ratio_from_json(const Reader& rd, const json& b, const std::string& where) {
    if (!b.is_object())
        return rd.bad(where, "not an object");
    ThroughputRatio r;
    const std::string at = where + ".";
    HM_READ(r.device, rd.string(b, at, "device"));
    HM_READ(r.kernel, rd.string(b, at, "kernel"));
    HM_READ(r.hookmatrix, optional_number(rd, b, at, "hookmatrix"));
    HM_READ(r.hookmatrix_note, rd.string(b, at, "hookmatrix_note", !!r.hookmatrix));
    HM_READ(r.xdp_bench, optional_number(rd, b, at, "xdp_bench"));
    HM_READ(r.xdp_bench_native_pps, optional_number(rd, b, at, "xdp_bench_native_pps"));
    HM_READ(r.xdp_bench_skb_pps, optional_number(rd, b, at, "xdp_bench_skb_pps"));
    HM_READ(r.xdp_bench_note, rd.string(b, at, "xdp_bench_note", true));
    return r;
}
} // namespace

Result<RunResult> results_from_json(const json& doc, const std::string& source) {
    Reader rd(source);
    if (!doc.is_object())
        return rd.bad("top level", "not a JSON object (is this a hookmatrix results.json?)");
    if (!doc.contains("schema") || !doc["schema"].is_string())
        return rd.bad("schema", "missing (is this a hookmatrix results.json?)");
    if (doc["schema"] != kResultsSchema)
        return rd.bad("schema", "'" + doc["schema"].get<std::string>() +
                                    "' is not supported (this hookmatrix reads " + kResultsSchema +
                                    ")");
    RunResult r;
    const json* run = nullptr;
    HM_READ(run, rd.member(doc, "", "run"));
    if (!run->is_object())
        return rd.bad("run", "not an object");
    HM_READ(r.run.tool_version, rd.string(*run, "run.", "tool_version"));
    HM_READ(r.run.libbpf_version, rd.string(*run, "run.", "libbpf_version"));
    HM_READ(r.run.host, rd.string(*run, "run.", "host"));
    HM_READ(r.run.kernel_release, rd.string(*run, "run.", "kernel"));
    HM_READ(r.run.command_line, rd.string(*run, "run.", "command", true));
    std::string started;
    HM_READ(started, rd.string(*run, "run.", "started"));
    auto t = parse_iso8601(started);
    if (!t)
        return rd.bad("run.started", t.error().what);
    r.run.started = *t;
    HM_READ(r.run.duration_s, rd.number<double>(*run, "run.", "duration_s"));
    HM_READ(r.run.packets_per_cell, rd.number<std::uint32_t>(*run, "run.", "packets_per_cell"));
    HM_READ(r.run.shard, rd.string(*run, "run.", "shard", true));
    if (run->contains("cpu")) {
        std::uint32_t cpu = 0;
        HM_READ(cpu, rd.number<std::uint32_t>(*run, "run.", "cpu"));
        r.run.cpu = static_cast<int>(cpu);
    }
    for (auto [key, list] : {std::pair{"hosts", &r.run.hosts}, std::pair{"kernels", &r.run.kernels}}) {
        if (!run->contains(key))
            continue;
        const json& names = (*run)[key];
        if (!names.is_array() || !std::ranges::all_of(names, &json::is_string))
            return rd.bad(std::string("run.") + key, "not an array of strings");
        for (const json& name : names)
            list->push_back(name.get<std::string>());
    }
    if (run->contains("kernel_runs")) {
        const json& runs = (*run)["kernel_runs"];
        if (!runs.is_array())
            return rd.bad("run.kernel_runs", "not an array");
        for (std::size_t i = 0; i < runs.size(); ++i) {
            const std::string at = fmt::format("run.kernel_runs[{}].", i);
            if (!runs[i].is_object())
                return rd.bad(at.substr(0, at.size() - 1), "not an object");
            KernelRun k;
            HM_READ(k.name, rd.string(runs[i], at, "name"));
            HM_READ(k.release, rd.string(runs[i], at, "release", true));
            HM_READ(k.how, rd.string(runs[i], at, "how"));
            HM_READ(k.origin, rd.string(runs[i], at, "origin", true));
            HM_READ(k.boot_s, rd.number<double>(runs[i], at, "boot_s"));
            HM_READ(k.wall_s, rd.number<double>(runs[i], at, "wall_s"));
            HM_READ(k.error, rd.string(runs[i], at, "error", true));
            r.run.kernel_runs.push_back(std::move(k));
        }
    }
    const json* cells = nullptr;
    HM_READ(cells, rd.member(doc, "", "cells"));
    if (!cells->is_array())
        return rd.bad("cells", "not an array");
    for (std::size_t i = 0; i < cells->size(); ++i) {
        CellResult cell;
        HM_READ(cell, cell_from_json(rd, (*cells)[i], fmt::format("cells[{}]", i)));
        r.cells.push_back(std::move(cell));
    }
    // Files written before choirs existed have no "choirs": an empty list.
    if (doc.contains("choirs")) {
        if (!doc["choirs"].is_array())
            return rd.bad("choirs", "not an array");
        for (std::size_t i = 0; i < doc["choirs"].size(); ++i) {
            ChoirResult choir;
            HM_READ(choir, choir_from_json(rd, doc["choirs"][i], fmt::format("choirs[{}]", i)));
            r.choirs.push_back(std::move(choir));
        }
    }
    for (auto [key, read] :
         {std::pair{"bench", +[](const Reader& rd, const json& e, const std::string& w,
                                 RunResult& out) -> Status {
              ThroughputResult b;
              HM_READ(b, throughput_from_json(rd, e, w));
              out.throughput.push_back(std::move(b));
              return {};
          }},
          std::pair{"bench_ratios", +[](const Reader& rd, const json& e, const std::string& w,
                                        RunResult& out) -> Status {
              ThroughputRatio b;
              HM_READ(b, throughput_ratio_from_json(rd, e, w));
              out.throughput_ratios.push_back(std::move(b));
              return {};
          }}}) {
        if (!doc.contains(key))
            continue;
        if (!doc[key].is_array())
            return rd.bad(key, "not an array");
        for (std::size_t i = 0; i < doc[key].size(); ++i)
            if (auto s = read(rd, doc[key][i], fmt::format("{}[{}]", key, i), r); !s)
                return std::unexpected(s.error());
    }
    return r;
}

#undef HM_READ

Result<RunResult> read_results_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("open " + path, errno);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        return fail(path + ": empty file (an interrupted copy? hookmatrix itself never writes one)");
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
        // Parse once more for the position: where the text ends mid-document, it was cut short.
        try {
            [[maybe_unused]] json again = json::parse(text);
        } catch (const json::parse_error& e) {
            if (e.byte >= text.size())
                return fail(path + ": truncated JSON: the text ends at byte " +
                            std::to_string(text.size()) + " before the document does");
            return fail(path + ": not valid JSON at byte " + std::to_string(e.byte) +
                        " (is this a hookmatrix results.json?)");
        }
        return fail(path + ": not valid JSON (is this a hookmatrix results.json?)");
    }
    return results_from_json(doc, path);
}

} // namespace hm
