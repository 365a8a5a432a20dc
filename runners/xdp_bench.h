#pragma once
// The independent yardstick for `hookmatrix bench`'s xdpdrv / xdpgeneric ratio: xdp-tools'
// `xdp-bench drop` in native and in skb mode on a veth topology of its own, loaded by the same
// source as the ratio's (for the XDP-frame source with GRO on the receiving veth, as in the
// cells), in the same minutes.
#include "matrix/results/throughput_result.h"
#include "runners/throughput_cell.h"

#include <optional>
#include <string>

namespace hm {

// Fills the xdp_bench fields of `ratio`; when xdp-bench is missing or fails, says so in
// ratio.xdp_bench_note and leaves the figures empty. Never an error: bench does not depend on
// xdp-bench.
// `program`: the xdp-bench to run, a path or a name looked up in PATH; empty: "xdp-bench".
void cross_check_with_xdp_bench(ThroughputRatio& ratio, SourceKind source,
                                const ThroughputOptions& options, const std::string& program);

// The packets per second xdp-bench printed: the median of its "Summary N rx/s" lines (commas
// allowed); nullopt when there are none.
std::optional<double> parse_xdp_bench_rate(const std::string& output);

} // namespace hm
