#pragma once
// BPF run statistics (run_cnt, run_time_ns per program), switched on through BPF_ENABLE_STATS
// rather than the kernel.bpf_stats_enabled sysctl: the kernel keeps them on only while the
// returned descriptor is open, so they go off again however hookmatrix ends (Linux 5.8+).
#include "core/error.h"
#include "core/unique_fd.h"

namespace hm {

class BpfStats {
public:
    static Result<BpfStats> enable();

private:
    explicit BpfStats(UniqueFd fd) : fd_(std::move(fd)) {}
    UniqueFd fd_;
};

} // namespace hm
