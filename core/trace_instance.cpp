#include "core/trace_instance.h"

#include "core/tracefs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <regex>

namespace hm {

namespace {
Status write_file(const std::string& path, const std::string& value) {
    std::ofstream out(path);
    out << value;
    out.flush();
    if (!out)
        return fail("write '" + value + "' to " + path, errno);
    return {};
}
} // namespace

std::optional<TraceLine> parse_trace_line(const std::string& line) {
    // The comm may hold spaces and dashes; the pid is the number after the last dash before the
    // CPU field.
    static const std::regex re(
        R"(^\s*(.+)-(\d+)\s+(?:\(\s*[-\d]+\)\s+)?\[(\d+)\]\s+\S+\s+(\d+)\.(\d+): bpf_trace_printk: (.*)$)");
    std::smatch m;
    if (!std::regex_match(line, m, re))
        return std::nullopt;
    TraceLine t;
    t.task = m[1];
    t.pid = std::stoi(m[2]);
    t.cpu = std::stoi(m[3]);
    std::string frac = m[5];
    frac.resize(9, '0'); // microseconds (or finer) to ns
    t.ts_ns = std::stoull(m[4]) * 1'000'000'000ull + std::stoull(frac);
    t.text = m[6];
    return t;
}

std::optional<int> parse_stack_marker(const std::string& line) {
    static const std::regex re(
        R"(^\s*.+-\d+\s+(?:\(\s*[-\d]+\)\s+)?\[(\d+)\]\s+\S+\s+\d+\.\d+: <stack trace>$)");
    std::smatch m;
    if (!std::regex_match(line, m, re))
        return std::nullopt;
    return std::stoi(m[1]);
}

std::optional<std::uint64_t> parse_stack_frame(const std::string& line) {
    static const std::regex re(R"(^ => .*<([0-9a-f]{1,16})>$)");
    std::smatch m;
    if (!std::regex_match(line, m, re))
        return std::nullopt;
    return std::stoull(m[1], nullptr, 16);
}

std::vector<TraceLine> parse_trace(std::istream& in) {
    std::vector<TraceLine> out;
    // The file merges the CPUs' buffers by time, so another CPU's line may come between a line
    // and its stack; on one CPU the stack directly follows its line.
    std::map<int, std::size_t> last_on_cpu;
    constexpr std::size_t kNone = SIZE_MAX;
    std::size_t owner = kNone; // the line the frames being read belong to
    std::string line;
    while (std::getline(in, line)) {
        if (auto t = parse_trace_line(line)) {
            last_on_cpu[t->cpu] = out.size();
            out.push_back(std::move(*t));
            owner = kNone;
        } else if (auto cpu = parse_stack_marker(line)) {
            owner = kNone;
            if (auto it = last_on_cpu.find(*cpu);
                it != last_on_cpu.end() && out[it->second].stack.empty())
                owner = it->second;
        } else if (auto frame = parse_stack_frame(line); frame && owner != kNone) {
            out[owner].stack.push_back(*frame);
        }
    }
    return out;
}

Result<TraceInstance> TraceInstance::create() {
    auto tracefs = tracefs_dir();
    if (!tracefs)
        return std::unexpected(tracefs.error());
    static std::atomic<unsigned> counter{0};
    const std::string dir = *tracefs + "/instances/hookmatrix-" + std::to_string(::getpid()) + "-" +
                            std::to_string(++counter);
    auto janitor = Janitor::watch(dir);
    if (!janitor)
        return std::unexpected(janitor.error());
    if (::mkdir(dir.c_str(), 0700) != 0)
        return fail("create tracing instance " + dir, errno,
                    "the kernel needs tracefs instances (CONFIG_TRACING)");
    TraceInstance t(dir, std::move(*janitor));
    // mono: the clock of bpf_ktime_get_ns() and of the sender's timestamps.
    if (auto ok = write_file(dir + "/trace_clock", "mono"); !ok)
        return std::unexpected(ok.error());
    if (auto ok = write_file(dir + "/events/bpf_trace/bpf_trace_printk/enable", "1"); !ok) {
        Error e = ok.error();
        e.detail = "this kernel has no bpf_trace_printk trace event (Linux 5.10+)";
        return std::unexpected(e);
    }
    return t;
}

TraceInstance::~TraceInstance() {
    if (dir_.empty())
        return;
    ::rmdir(dir_.c_str());
    janitor_.reset();
}

Status TraceInstance::clear() {
    return write_file(dir_ + "/trace", "");
}

Status TraceInstance::record_stacks(bool on) {
    // sym-addr: each frame's address beside its symbol (all JIT images of one program share
    // the symbol bpf_prog_<tag>_<name>; only the address tells two loads apart).
    for (const char* option : {"sym-addr", "stacktrace"})
        if (auto ok = write_file(dir_ + "/options/" + option, on ? "1" : "0"); !ok)
            return ok;
    return {};
}

Result<std::vector<TraceLine>> TraceInstance::read() const {
    std::ifstream in(dir_ + "/trace");
    if (!in)
        return fail("read " + dir_ + "/trace", errno);
    return parse_trace(in);
}

} // namespace hm
