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

std::vector<double> ThroughputResult::own_ns_samples() const {
    std::vector<double> v;
    for (const auto& w : windows)
        if (w.own_cpu_ns)
            v.push_back(w.own_ns_per_packet());
    return v;
}

double ThroughputResult::own_ns_per_packet_median() const {
    return median(own_ns_samples());
}

double ThroughputResult::cpu_busy_median() const {
    std::vector<double> v;
    for (const auto& w : windows)
        v.push_back(w.cpu_busy);
    return median(v);
}

double ThroughputResult::ceiling_pps() const {
    std::vector<double> v;
    for (const auto& w : ceiling)
        v.push_back(w.pps());
    return median(v);
}

double ThroughputResult::ceiling_ns_per_frame() const {
    std::vector<double> v;
    for (const auto& w : ceiling)
        v.push_back(w.own_cpu_ns ? w.own_ns_per_packet() : w.ns_per_packet(generator_cpu));
    return median(v);
}

bool ThroughputResult::generator_bound() const {
    const double top = ceiling_pps();
    return top > 0 && !windows.empty() && pps_median() >= kGeneratorBoundShare * top;
}

bool ThroughputRatio::within_margin() const {
    const auto ratio = headline();
    if (!ratio)
        return false;
    const auto& low = by_cpu ? by_cpu_low : hookmatrix_low;
    const auto& high = by_cpu ? by_cpu_high : hookmatrix_high;
    const double lo = low ? *low : *ratio, hi = high ? *high : *ratio;
    return lo >= 1.0 - kEquivalenceMargin && hi <= 1.0 + kEquivalenceMargin;
}

bool ThroughputRatio::measurable() const {
    const auto ratio = headline();
    if (!ratio || within_margin())
        return false;
    const auto& low = by_cpu ? by_cpu_low : hookmatrix_low;
    const auto& high = by_cpu ? by_cpu_high : hookmatrix_high;
    if (!low || !high)
        return *ratio != 1.0;
    return *low > 1.0 || *high < 1.0;
}

std::string ThroughputRatio::difference() const {
    const auto ratio = headline();
    if (!ratio)
        return {};
    if (!measurable())
        return "no measurable difference";
    return *ratio > 1.0 ? "xdpdrv faster" : "xdpdrv slower";
}

std::optional<double> ThroughputRatio::ns_saved() const {
    if (!xdpdrv_ns || !xdpgeneric_ns)
        return std::nullopt;
    return *xdpgeneric_ns - *xdpdrv_ns;
}

namespace {
const ThroughputResult* find_cell(const std::vector<ThroughputResult>& bench, const char* hook,
                                  const std::string& device, const std::string& kernel,
                                  const std::string& source) {
    for (const auto& b : bench)
        if (b.hook == hook && b.device == device && b.kernel == kernel && b.source == source)
            return &b;
    return nullptr;
}
} // namespace

void fill_xdp_mode_ratio(ThroughputRatio& ratio, const std::vector<ThroughputResult>& bench) {
    ratio.hookmatrix =
        xdp_mode_ratio(bench, ratio.device, ratio.kernel, ratio.hookmatrix_note, ratio.source);
    if (!ratio.hookmatrix)
        return;
    const ThroughputResult* drv =
        find_cell(bench, "xdpdrv", ratio.device, ratio.kernel, ratio.source);
    const ThroughputResult* gen =
        find_cell(bench, "xdpgeneric", ratio.device, ratio.kernel, ratio.source);
    if (gen->pps_min() > 0 && gen->pps_max() > 0) {
        ratio.hookmatrix_low = drv->pps_min() / gen->pps_max();
        ratio.hookmatrix_high = drv->pps_max() / gen->pps_min();
    }
    const auto drv_own = drv->own_ns_samples(), gen_own = gen->own_ns_samples();
    if (!drv_own.empty() && !gen_own.empty() && std::ranges::min(drv_own) > 0 &&
        std::ranges::min(gen_own) > 0) {
        ratio.xdpdrv_ns = median(drv_own);
        ratio.xdpgeneric_ns = median(gen_own);
        ratio.by_cpu = *ratio.xdpgeneric_ns / *ratio.xdpdrv_ns;
        ratio.by_cpu_low = std::ranges::min(gen_own) / std::ranges::max(drv_own);
        ratio.by_cpu_high = std::ranges::max(gen_own) / std::ranges::min(drv_own);
    } else {
        ratio.xdpdrv_ns = drv->ns_per_packet_median();
        ratio.xdpgeneric_ns = gen->ns_per_packet_median();
    }
    ratio.generator_bound = drv->generator_bound() || gen->generator_bound();
}

std::optional<double> xdp_mode_ratio(const std::vector<ThroughputResult>& bench,
                                     const std::string& device, const std::string& kernel,
                                     std::string& why, const std::string& source) {
    auto find = [&](const char* hook) { return find_cell(bench, hook, device, kernel, source); };
    const ThroughputResult* drv = find("xdpdrv");
    const ThroughputResult* gen = find("xdpgeneric");
    for (auto [b, name] : {std::pair{drv, "xdpdrv"}, std::pair{gen, "xdpgeneric"}}) {
        if (!b) {
            why = std::string(name) + " was not benchmarked on " + device +
                  (source == "skb" ? std::string() : " with the " + source + " source");
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
