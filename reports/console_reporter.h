#pragma once
// The terminal: a progress line per cell as it finishes and the run's notes as they come, then a
// hook x device table of verdicts and median latencies, the totals, where the results went, and
// with a baseline the cells that changed.
#include "reports/reporter.h"

#include <iosfwd>
#include <string>

namespace hm {

// `results_path`: named in the closing line ("results: out/results.json"); empty: no such line.
std::unique_ptr<Reporter> make_console_reporter(std::ostream& out, std::string results_path = {});

// `hookmatrix bench` on the terminal: a line per measured cell, a line per xdpdrv / xdpgeneric
// ratio, the notes, and where the results went.
std::unique_ptr<Reporter> make_throughput_console_reporter(std::ostream& out,
                                                           std::string results_path);

// "812 ns", "4.31 us", "1.20 ms": latencies humans can compare at a glance.
std::string format_ns(std::uint64_t ns);

} // namespace hm
