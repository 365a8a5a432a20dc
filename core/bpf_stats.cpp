#include "core/bpf_stats.h"

#include <bpf/bpf.h>

namespace hm {

Result<BpfStats> BpfStats::enable() {
    int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
    if (fd < 0)
        return fail("enable BPF run statistics (BPF_ENABLE_STATS)", errno,
                    "needs Linux 5.8+ and CAP_SYS_ADMIN");
    return BpfStats(UniqueFd(fd));
}

} // namespace hm
