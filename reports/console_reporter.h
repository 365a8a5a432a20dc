#pragma once
// The terminal: a progress line per cell as it finishes, then a hook x device table of verdicts
// and median latencies, then the totals.
#include "reports/reporter.h"

#include <iosfwd>

namespace hm {

std::unique_ptr<Reporter> make_console_reporter(std::ostream& out);

// "812 ns", "4.31 us", "1.20 ms": latencies humans can compare at a glance.
std::string format_ns(std::uint64_t ns);

} // namespace hm
