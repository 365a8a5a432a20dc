#include "core/proc_stat.h"

#include <fstream>
#include <sstream>
#include <string>

namespace hm {

Result<std::vector<CpuTimes>> read_cpu_times() {
    std::ifstream in("/proc/stat");
    if (!in)
        return fail("open /proc/stat", errno);
    std::vector<CpuTimes> out;
    std::string line;
    while (std::getline(in, line)) {
        // "cpu3 user nice system idle iowait irq softirq steal guest guest_nice"; "cpu " is the
        // sum.
        if (line.size() < 4 || line.compare(0, 3, "cpu") != 0 || line[3] == ' ')
            continue;
        std::istringstream fields(line.substr(3));
        std::size_t cpu = 0;
        std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                      steal = 0;
        fields >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
        if (!fields && !fields.eof())
            return fail("parse /proc/stat line '" + line + "'");
        if (out.size() <= cpu)
            out.resize(cpu + 1);
        // guest time is already inside user and nice.
        out[cpu].busy = user + nice + system + irq + softirq + steal;
        out[cpu].total = out[cpu].busy + idle + iowait;
    }
    if (out.empty())
        return fail("/proc/stat lists no CPU");
    return out;
}

std::vector<double> busy_share(const std::vector<CpuTimes>& before,
                               const std::vector<CpuTimes>& after) {
    std::vector<double> out(std::min(before.size(), after.size()), 0.0);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto total = after[i].total - before[i].total;
        if (total > 0 && after[i].busy >= before[i].busy)
            out[i] =
                static_cast<double>(after[i].busy - before[i].busy) / static_cast<double>(total);
    }
    return out;
}

} // namespace hm
