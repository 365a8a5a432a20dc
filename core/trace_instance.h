#pragma once
// A tracing instance of hookmatrix's own (tracefs instances/hookmatrix-<pid>-<n>) that records
// only the bpf_trace/bpf_trace_printk event, with the "mono" clock, so users' Hello-World
// programs can be heard without reading (and emptying) the host's trace_pipe and with times
// comparable to the sender's CLOCK_MONOTONIC. An instance is a directory the kernel keeps after
// hookmatrix dies, so a Janitor watches it.
#include "core/error.h"
#include "core/janitor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hm {

struct TraceLine {
    std::string task;        // comm
    int pid = 0;             // the thread in whose context the program ran
    std::uint64_t ts_ns = 0; // CLOCK_MONOTONIC
    std::string text;        // what the program printed
};

class TraceInstance {
public:
    static Result<TraceInstance> create();
    TraceInstance(TraceInstance&&) noexcept = default;
    TraceInstance& operator=(TraceInstance&&) = delete;
    ~TraceInstance();

    Status clear(); // empties the instance's buffer (only ours)
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

} // namespace hm
