#pragma once
// A traffic source's own ceiling: the same source, on the same CPU, in windows of the same length,
// with its frames going nowhere, so that nothing after the source costs anything. A cell whose
// hook rate comes within a few per cent of it measured the source, not the hook
// (ThroughputResult::generator_bound). Measured in the cell's own rig right after its windows:
//  - the XDP-frame source runs a program that drops every frame itself instead of redirecting it;
//  - the skb source sends through the qdisc layer to a tc egress program on its own device that
//    takes every frame (TC_ACT_STOLEN: the send succeeds, the frame is gone), so the device's xmit
//    and the whole receive side drop out. That path adds the egress hook and the qdisc layer's
//    entry, which the measured path bypasses: the ceiling errs high, never low.
#include "core/error.h"
#include "matrix/results/throughput_result.h"
#include "runners/cell_rig.h"
#include "runners/throughput_cell.h"
#include "runners/traffic/traffic_source.h"

#include <string>
#include <vector>

namespace hm {

struct SourceCeiling {
    std::vector<ThroughputWindow> windows; // counted: frames the source got out
    std::string method;
};

Result<SourceCeiling> measure_source_ceiling(SourceKind kind, const CellRig& rig,
                                             const ThroughputOptions& options);

} // namespace hm
