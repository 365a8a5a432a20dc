#include "matrix/compare/latency_change.h"

#include "matrix/stats/significance.h"
#include "matrix/stats/stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace hm {

std::string Threshold::text() const {
    return fmt::format("{:g}{}", value, unit == Unit::Percent ? "%" : "ns");
}

Result<Threshold> parse_threshold(std::string_view text) {
    const std::string original(text);
    auto bad = [&] {
        return fail("threshold '" + original +
                    "' is not a share like 10% or a time like 500ns, 2us, 1ms");
    };
    struct Suffix {
        std::string_view text;
        Threshold::Unit unit;
        double scale;
    };
    static constexpr Suffix kSuffixes[] = {{"%", Threshold::Unit::Percent, 1},
                                           {"ns", Threshold::Unit::Nanoseconds, 1},
                                           {"us", Threshold::Unit::Nanoseconds, 1e3},
                                           {"ms", Threshold::Unit::Nanoseconds, 1e6}};
    for (const Suffix& s : kSuffixes) {
        if (!text.ends_with(s.text))
            continue;
        std::string_view number = text.substr(0, text.size() - s.text.size());
        double value = 0;
        auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
        if (number.empty() || ec != std::errc() || end != number.data() + number.size() ||
            !std::isfinite(value) || value < 0)
            return bad();
        return Threshold{.unit = s.unit, .value = value * s.scale};
    }
    return bad();
}

std::string_view to_string(LatencyTrend t) {
    return t == LatencyTrend::Slower ? "slower" : t == LatencyTrend::Faster ? "faster" : "same";
}

namespace {
constexpr std::size_t kQuarters = 4;

// The medians of `samples` cut into kQuarters runs of consecutive values (send order).
std::vector<double> quarter_medians(std::span<const std::uint64_t> samples) {
    std::vector<double> out;
    const std::size_t n = samples.size();
    for (std::size_t q = 0; q < kQuarters; ++q) {
        const std::size_t from = q * n / kQuarters, to = (q + 1) * n / kQuarters;
        out.push_back(static_cast<double>(summarize(samples.subspan(from, to - from)).p50));
    }
    return out;
}

double steady_shift(std::span<const std::uint64_t> base, std::span<const std::uint64_t> now) {
    const auto b = quarter_medians(base), n = quarter_medians(now);
    const auto [b_min, b_max] = std::ranges::minmax(b);
    const auto [n_min, n_max] = std::ranges::minmax(n);
    if (b_max > 0 && n_min / b_max > 1)
        return n_min / b_max - 1;
    if (b_min > 0 && n_max / b_min < 1)
        return n_max / b_min - 1;
    return 0;
}

LatencyChange evaluate(std::span<const std::uint64_t> base_raw, std::span<const std::uint64_t> now,
                       const CompareOptions& options, double base_scale) {
    std::vector<std::uint64_t> scaled;
    std::span<const std::uint64_t> base = base_raw;
    if (base_scale != 1) {
        for (std::uint64_t v : base_raw)
            scaled.push_back(
                static_cast<std::uint64_t>(std::llround(static_cast<double>(v) * base_scale)));
        base = scaled;
    }
    LatencyChange l;
    l.base_samples = base.size();
    l.new_samples = now.size();
    l.base_scale = base_scale;
    l.base_p50 = summarize(base_raw).p50;
    l.new_p50 = summarize(now).p50;
    // A median of 0 ns only happens with clamped clock skew; divide by 1 ns rather than by 0.
    const double base_median = std::max(static_cast<double>(summarize(base).p50), 1.0);
    l.ratio = static_cast<double>(l.new_p50) / std::max(static_cast<double>(l.base_p50), 1.0);
    l.shift_ns = hodges_lehmann_shift(base, now);
    l.shift_relative = l.shift_ns / base_median;
    l.steady_shift_relative = steady_shift(base, now);
    const RankTest test = mann_whitney_u(base, now);
    l.u = test.u;
    l.z = test.z;
    l.p = test.p;
    l.significant = test.p < options.alpha;
    const Threshold& t = options.threshold;
    const auto beyond = [&](double relative) {
        return t.unit == Threshold::Unit::Percent ? std::abs(relative) * 100 > t.value
                                                  : std::abs(relative * base_median) > t.value;
    };
    l.beyond_threshold =
        beyond(l.shift_relative) && (!options.steady || beyond(l.steady_shift_relative));
    if (l.significant && l.beyond_threshold)
        l.trend = l.shift_ns > 0 ? LatencyTrend::Slower : LatencyTrend::Faster;
    l.absolute_trend = l.trend;
    return l;
}
} // namespace

std::optional<LatencyChange> compare_latency(std::span<const std::uint64_t> base,
                                             std::span<const std::uint64_t> now,
                                             const CompareOptions& options, double base_scale) {
    if (base.size() < options.min_samples || now.size() < options.min_samples)
        return std::nullopt;
    LatencyChange l = evaluate(base, now, options, base_scale);
    if (base_scale != 1) {
        // Judged against its neighbours the cell changed; it counts only when it changed the
        // same way in absolute terms too. Otherwise the neighbours moved and it did not.
        l.absolute_trend = evaluate(base, now, options, 1).trend;
        if (l.absolute_trend != l.trend)
            l.trend = LatencyTrend::Same;
    }
    return l;
}

} // namespace hm
