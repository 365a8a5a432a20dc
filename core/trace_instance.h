#pragma once
// A tracing instance of hookmatrix's own (tracefs instances/hookmatrix-<pid>-<n>) that records
// only the bpf_trace/bpf_trace_printk event, with the "mono" clock, so users' Hello-World
// programs can be heard without reading (and emptying) the host's trace_pipe and with times
// comparable to the sender's CLOCK_MONOTONIC. An instance is a directory the kernel keeps after
// hookmatrix dies, so a Janitor watches it.
#include "core/error.h"
#include "core/janitor.h"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace hm {

struct TraceLine {
    std::string task;        // comm
    int pid = 0;             // the thread in whose context the program ran
    std::uint64_t ts_ns = 0; // CLOCK_MONOTONIC
    std::string text;        // what the program printed
    int cpu = 0;
    // With record_stacks(true): the kernel stack the line was printed from, innermost first
    // (return addresses; a program's own frame lies in its JIT image).
    std::vector<std::uint64_t> stack;
};

class TraceInstance {
public:
    static Result<TraceInstance> create();
    TraceInstance(TraceInstance&&) noexcept = default;
    TraceInstance& operator=(TraceInstance&&) = delete;
    ~TraceInstance();

    Status clear(); // empties the instance's buffer (only ours)
    // Records the kernel stack (with addresses) after each line, or stops doing so. It costs
    // the printing program microseconds, so only a choir that must say who printed turns it on.
    Status record_stacks(bool on);
    Result<std::vector<TraceLine>> read() const;

private:
    TraceInstance(std::string dir, Janitor janitor)
        : dir_(std::move(dir)), janitor_(std::move(janitor)) {}
    std::string dir_;
    Janitor janitor_;
};

// One line of a trace file: "  comm-123  [000] ..s2.  5826.213778: bpf_trace_printk: Hello".
// Nothing for header lines and other events. Public for tests.
std::optional<TraceLine> parse_trace_line(const std::string& line);
// The lines after a "<stack trace>" marker (sym-addr on): " => bpf_prog_..._hello
// <ffffffffc0027459>". The marker's CPU (it belongs to the last line printed on that CPU), or the
// frame's address.
std::optional<int> parse_stack_marker(const std::string& line);
std::optional<std::uint64_t> parse_stack_frame(const std::string& line);
// A trace file's text as lines, each with the stack recorded after it (when there is one).
std::vector<TraceLine> parse_trace(std::istream& in);

} // namespace hm
