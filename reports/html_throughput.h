#pragma once
// The bench part of report.html: a table of the cells' figures, the xdpdrv / xdpgeneric ratios
// beside xdp-bench's, and the data the page's script draws the throughput charts from. Empty
// for runs without bench figures.
#include "matrix/results/result.h"

#include <string>

namespace hm {

std::string html_throughput_section(const RunResult& result);

} // namespace hm
