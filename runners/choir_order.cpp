#include "runners/choir_order.h"

#include "matrix/rules.h"

#include <algorithm>
#include <map>

namespace hm {

std::vector<const HookSpec*> choir_hooks(const DeviceSpec& device, bool native_xdp,
                                         std::span<const HookSpec* const> asked) {
    auto wanted = [&](std::string_view name) {
        return std::ranges::any_of(asked, [&](const HookSpec* h) { return h->name == name; });
    };
    const bool both_xdp_modes = wanted("xdpdrv") && wanted("xdpgeneric");
    std::vector<const HookSpec*> sing;
    for (const HookSpec& hook : all_hooks()) {
        if (excluded(hook, device) || std::ranges::find(asked, &hook) == asked.end())
            continue;
        if (hook.name == "xdp" || hook.name == "xdpoffload")
            continue;
        if (hook.name == "xdpgeneric" && both_xdp_modes && native_xdp)
            continue;
        if (hook.name == "xdpdrv" && !native_xdp)
            continue;
        sing.push_back(&hook);
    }
    return sing;
}

namespace {
// The order most packets share: the most frequent key, the first of the most frequent on a tie.
template <class Key>
const std::pair<const Key, std::uint32_t>& most_common(const std::map<Key, std::uint32_t>& counts) {
    return *std::ranges::max_element(counts, {}, &std::map<Key, std::uint32_t>::value_type::second);
}
} // namespace

std::vector<Firing> trace_firings(std::span<const TraceLine> lines,
                                  std::span<const std::uint64_t> send_ns,
                                  std::span<const ChoirSinger> singers) {
    auto printed_by = [&](const TraceLine& l) -> const ChoirSinger* {
        for (std::uint64_t addr : l.stack)
            for (const ChoirSinger& s : singers)
                for (const auto& [start, end] : s.code)
                    if (s.user && addr >= start && addr < end)
                        return &s;
        return nullptr;
    };
    std::vector<Firing> out;
    for (const TraceLine& l : lines) {
        auto it = std::upper_bound(send_ns.begin(), send_ns.end(), l.ts_ns);
        const ChoirSinger* s = printed_by(l);
        if (it == send_ns.begin() || !s)
            continue;
        out.push_back({static_cast<std::uint32_t>(it - send_ns.begin() - 1), l.ts_ns, s->id});
    }
    return out;
}

FiringOrder firing_order(std::span<const hm_event> events, std::span<const ChoirSinger> singers,
                         std::uint32_t packets, std::size_t max_deviations,
                         std::span<const Firing> lines) {
    std::map<std::uint16_t, const ChoirSinger*> by_id;
    for (const ChoirSinger& s : singers)
        by_id[s.id] = &s;
    std::vector<std::vector<std::pair<std::uint64_t, std::string>>> heard(packets);
    std::vector<std::map<std::uint16_t, bool>> seen_by(packets);
    for (const hm_event& e : events) {
        auto s = by_id.find(e.hook_id);
        if (e.seq >= packets || s == by_id.end())
            continue;
        const ChoirSinger& singer = *s->second;
        if (singer.user || e.icmp_type != singer.expected_icmp_type || seen_by[e.seq][e.hook_id])
            continue;
        seen_by[e.seq][e.hook_id] = true;
        heard[e.seq].emplace_back(e.ts_ns, singer.hook);
    }
    for (const Firing& f : lines) {
        auto s = by_id.find(f.hook_id);
        if (f.seq >= packets || s == by_id.end() || !s->second->user || seen_by[f.seq][f.hook_id])
            continue;
        seen_by[f.seq][f.hook_id] = true;
        heard[f.seq].emplace_back(f.ts_ns, s->second->hook);
    }
    std::map<std::vector<std::string>, std::uint32_t> orders;
    std::vector<std::vector<std::string>> per_packet(packets);
    for (std::uint32_t seq = 0; seq < packets; ++seq) {
        std::ranges::stable_sort(heard[seq], {}, &std::pair<std::uint64_t, std::string>::first);
        for (auto& [ts, name] : heard[seq])
            per_packet[seq].push_back(name);
        ++orders[per_packet[seq]];
    }
    FiringOrder out;
    if (orders.empty())
        return out;
    const auto& [order, count] = most_common(orders);
    out.order = order;
    out.same_order = count;
    for (std::uint32_t seq = 0; seq < packets && out.deviations.size() < max_deviations; ++seq)
        if (per_packet[seq] != out.order)
            out.deviations.push_back({seq, per_packet[seq]});
    return out;
}

TraceOrder trace_order(std::span<const std::pair<std::uint64_t, std::string>> lines,
                       std::span<const std::uint64_t> send_ns, std::uint32_t users) {
    const auto packets = static_cast<std::uint32_t>(send_ns.size());
    std::vector<std::vector<std::string>> texts(packets);
    for (const auto& [ts, text] : lines) {
        auto it = std::upper_bound(send_ns.begin(), send_ns.end(), ts);
        if (it != send_ns.begin())
            texts[static_cast<std::size_t>(it - send_ns.begin() - 1)].push_back(text);
    }
    TraceOrder out;
    std::map<std::vector<std::string>, std::uint32_t> seen;
    for (std::uint32_t seq = 0; seq < packets; ++seq) {
        ++seen[texts[seq]];
        if (texts[seq].size() < users && !out.failure)
            out.failure = "packet " + std::to_string(seq) + " left " +
                          std::to_string(texts[seq].size()) + " trace lines for " +
                          std::to_string(users) + " programs";
    }
    if (!seen.empty())
        out.order = most_common(seen).first;
    return out;
}

} // namespace hm
