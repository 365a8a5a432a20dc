#include "matrix/results/throughput_result.h"

#include <algorithm>

namespace hm {

double median(std::vector<double> values) {
    if (values.empty())
        return 0;
    std::ranges::sort(values);
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::vector<double> ThroughputResult::pps_samples() const {
    std::vector<double> out;
    for (const auto& w : windows)
        out.push_back(w.pps());
    return out;
}

double ThroughputResult::pps_median() const { return median(pps_samples()); }

double ThroughputResult::pps_min() const {
    const auto s = pps_samples();
    return s.empty() ? 0 : std::ranges::min(s);
}

double ThroughputResult::pps_max() const {
    const auto s = pps_samples();
    return s.empty() ? 0 : std::ranges::max(s);
}

double ThroughputResult::ns_per_packet_median() const {
    std::vector<double> v;
    for (const auto& w : windows)
        v.push_back(w.ns_per_packet(generator_cpu));
    return median(v);
}

double ThroughputResult::cpu_busy_median() const {
    std::vector<double> v;
    for (const auto& w : windows)
        v.push_back(w.cpu_busy);
    return median(v);
}

std::optional<double> xdp_mode_ratio(const std::vector<ThroughputResult>& bench,
                                     const std::string& device, const std::string& kernel,
                                     std::string& why) {
    auto find = [&](const char* hook) -> const ThroughputResult* {
        for (const auto& b : bench)
            if (b.hook == hook && b.device == device && b.kernel == kernel)
                return &b;
        return nullptr;
    };
    const ThroughputResult* drv = find("xdpdrv");
    const ThroughputResult* gen = find("xdpgeneric");
    for (auto [b, name] : {std::pair{drv, "xdpdrv"}, std::pair{gen, "xdpgeneric"}}) {
        if (!b) {
            why = std::string(name) + " was not benchmarked on " + device;
            return std::nullopt;
        }
        if (b->verdict != Verdict::Pass || b->pps_median() <= 0) {
            why = std::string(name) + " on " + device + " has no figure: " + b->reason;
            return std::nullopt;
        }
    }
    why.clear();
    return drv->pps_median() / gen->pps_median();
}

} // namespace hm
