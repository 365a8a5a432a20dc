// The choir: every hook that fits a device, attached on it at the same time, one shared event
// table, echo requests from near. Each packet's events, sorted by time, give the order in which the
// hooks along its path fired; the choir reports the order most packets saw and every packet that
// saw another.
#include "core/cgroup.h"
#include "matrix/rules.h"
#include "runners/attach/attacher.h"
#include "runners/programs/event_table.h"
#include "runners/host_runner.h"
#include "runners/judge.h"
#include "runners/programs/program.h"
#include "runners/topology/topology.h"
#include "runners/traffic/echo_run.h"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <optional>

namespace hm {

namespace {
constexpr std::size_t kMaxDeviations = 10;

// Native and generic XDP cannot be active on one device at once, and `xdp` would pick one of
// them again: of the XDP hooks asked for, the choir sings xdpdrv where the device has it, else
// xdpgeneric.
bool sings(const HookSpec& hook, const DeviceSpec& device, bool native_xdp,
           const std::vector<const HookSpec*>& asked) {
    if (excluded(hook, device) || std::ranges::find(asked, &hook) == asked.end())
        return false;
    if (hook.name == "xdp" || hook.name == "xdpoffload")
        return false;
    const bool both = std::ranges::any_of(asked, [](auto* h) { return h->name == "xdpdrv"; }) &&
                      std::ranges::any_of(asked, [](auto* h) { return h->name == "xdpgeneric"; });
    if (hook.name == "xdpgeneric")
        return !both || !native_xdp;
    if (hook.name == "xdpdrv")
        return native_xdp;
    return true;
}

struct Singer {
    const HookSpec* hook;
    std::uint16_t id;
    std::uint8_t expected_type;
    bool user; // a user's program: heard through its run counter or trace lines, not the table
    std::unique_ptr<Program> program;
    std::unique_ptr<Attachment> attachment;
};
} // namespace

ChoirResult HostRunner::run_choir(const DeviceSpec& device, std::uint32_t packets,
                                  std::chrono::milliseconds reply_timeout,
                                  std::vector<const HookSpec*> hooks) {
    if (hooks.empty())
        for (const HookSpec& h : all_hooks())
            hooks.push_back(&h);
    const std::uint64_t started = monotonic_ns();
    ChoirResult c{.device = std::string(device.name), .kernel = release_, .packets = packets};
    auto finish = [&](std::string reason = {}) {
        c.reason = std::move(reason);
        c.duration_s = static_cast<double>(monotonic_ns() - started) / 1e9;
        return std::move(c);
    };
    if (Support s = features_.device(device); !s.supported) {
        c.unsupported = true;
        return finish(s.reason);
    }
    const HookSpec* drv = find_hook("xdpdrv");
    const bool native_xdp = drv && !excluded(*drv, device) && features_.hook(*drv).supported;

    auto topo = build_topology(device);
    if (!topo)
        return finish(topo.error().message());
    auto table = EventTable::create();
    if (!table)
        return finish(table.error().message());
    const Endpoint& near = (*topo)->near();
    const Endpoint& far = (*topo)->far();

    std::vector<const HookSpec*> chosen;
    bool wants_cgroup = false;
    for (const HookSpec& h : all_hooks()) {
        if (!sings(h, device, native_xdp, hooks))
            continue;
        if (Support s = features_.hook(h); !s.supported) {
            c.left_out.emplace_back(std::string(h.name), s.reason);
            continue;
        }
        chosen.push_back(&h);
        wants_cgroup |= h.family == HookFamily::CgroupSkb;
    }
    std::optional<Cgroup> cgroup;
    if (wants_cgroup) {
        auto made = Cgroup::create();
        if (!made)
            return finish(made.error().message());
        cgroup = std::move(*made);
    }
    const int cgroup_fd = cgroup ? cgroup->fd() : -1;
    // The near sender lives in the cgroup, so cgroup egress hears the requests it sends.
    auto sender = (*topo)->sender(Side::Near, cgroup_fd);
    if (!sender)
        return finish(sender.error().message());
    const auto ident = static_cast<std::uint16_t>(::getpid());
    if (!warm_up(**sender, far.addr, ident, magic_))
        return finish("no reply to warm-up echo requests from " + near.addr_text + " to " +
                      far.addr_text + " before anything was attached");

    // Requests leave through the device's egress; what comes back in is the reply, except on lo,
    // where the request itself comes back in.
    std::vector<Singer> singers;
    for (const HookSpec* h : chosen) {
        const auto id = static_cast<std::uint16_t>(singers.size() + 1);
        const bool sees_request = h->direction == Direction::Egress || (*topo)->loopback();
        const UserObject* user = user_object(*h);
        Singer s{h, id,
                 static_cast<std::uint8_t>(sees_request ? HM_ICMP_ECHO_REQUEST : HM_ICMP_ECHO_REPLY),
                 user != nullptr, nullptr, nullptr};
        ChoirVoice voice{.hook = std::string(h->name)};
        if (user)
            if (auto ready = prepare_user_programs(); !ready)
                return finish(ready.error().message());
        auto program = user ? load_user_program(*user, *h)
                            : load_probe(*h, {.hook_id = id, .magic = magic_,
                                              .events_fd = (*table)->map_fd()});
        if (!program) {
            voice.verdict = Verdict::Error;
            voice.reason = program.error().message();
            c.voices.push_back(std::move(voice));
            continue;
        }
        auto attachment = attacher_for(h->family)
                              .attach({.ns = near.ns, .ifname = near.ifname, .ifindex = near.ifindex,
                                       .device_fd = (*topo)->device_fd(), .cgroup_fd = cgroup_fd},
                                      *h, **program);
        if (!attachment) {
            const Error& e = attachment.error();
            voice.verdict = e.err == EOPNOTSUPP ? Verdict::Unsupported : Verdict::Error;
            voice.reason = e.message();
            c.voices.push_back(std::move(voice));
            continue;
        }
        s.program = std::move(*program);
        s.attachment = std::move(*attachment);
        singers.push_back(std::move(s));
        c.voices.push_back(std::move(voice));
    }

    auto echoes = send_echoes(**sender, far.addr, ident, magic_, packets, reply_timeout, **table);
    if (!echoes)
        return finish(echoes.error().message());
    const auto& events = (*table)->events();

    const auto replies = static_cast<std::uint32_t>(std::ranges::count(echoes->replied, true));
    const auto users = static_cast<std::uint32_t>(std::ranges::count(singers, true, &Singer::user));
    // --trace: every user's program must have printed for every packet; lines cannot say which
    // program printed them, so each packet's window must hold at least one line per program.
    std::optional<std::string> trace_failure;
    if (users && trace_) {
        auto lines = own_trace_lines();
        if (!lines)
            return finish(lines.error().message());
        std::vector<std::vector<std::string>> texts(packets);
        for (const TraceLine& l : *lines) {
            auto it = std::upper_bound(echoes->send_ns.begin(), echoes->send_ns.end(), l.ts_ns);
            if (it != echoes->send_ns.begin())
                texts[static_cast<std::size_t>(it - echoes->send_ns.begin() - 1)].push_back(l.text);
        }
        std::map<std::vector<std::string>, std::uint32_t> seen;
        for (std::uint32_t seq = 0; seq < packets; ++seq) {
            ++seen[texts[seq]];
            if (texts[seq].size() < users && !trace_failure)
                trace_failure = "packet " + std::to_string(seq) + " left " +
                                std::to_string(texts[seq].size()) + " trace lines for " +
                                std::to_string(users) + " programs";
        }
        if (!seen.empty()) {
            auto most = std::ranges::max_element(seen, {}, &decltype(seen)::value_type::second);
            c.trace_order = most->first;
        }
    }

    for (const Singer& s : singers) {
        auto voice = std::ranges::find(c.voices, s.hook->name, &ChoirVoice::hook);
        voice->attachment = s.attachment->describe();
        if (s.user) {
            Judgement j = judge_run_count(s.program->run_count(), packets, replies,
                                          s.attachment->unreachable());
            if (trace_failure && j.verdict == Verdict::Pass) {
                j.verdict = Verdict::Fail;
                j.reason = *trace_failure;
            }
            voice->verdict = j.verdict;
            voice->reason = j.reason;
            voice->fired = j.fired;
            continue;
        }
        Judgement j = judge({.hook_id = s.id,
                             .expected_icmp_type = s.expected_type,
                             .send_ns = echoes->send_ns,
                             .replied = echoes->replied,
                             .events = events,
                             .unreachable = s.attachment->unreachable()});
        voice->verdict = j.verdict;
        voice->reason = j.reason;
        voice->fired = j.fired;
        voice->latency = summarize(j.samples_ns);
    }

    // Per packet: each singer's first firing on the packet it listens for, in time order.
    std::vector<std::vector<std::pair<std::uint64_t, std::string>>> heard(packets);
    std::vector<std::vector<bool>> seen_by(packets, std::vector<bool>(singers.size() + 1, false));
    for (const hm_event& e : events) {
        if (e.seq >= packets || e.hook_id == 0 || e.hook_id > singers.size())
            continue;
        const Singer& s = singers[e.hook_id - 1];
        if (s.user || e.icmp_type != s.expected_type || seen_by[e.seq][e.hook_id])
            continue;
        seen_by[e.seq][e.hook_id] = true;
        heard[e.seq].emplace_back(e.ts_ns, std::string(s.hook->name));
    }
    std::map<std::vector<std::string>, std::uint32_t> orders;
    std::vector<std::vector<std::string>> per_packet(packets);
    for (std::uint32_t seq = 0; seq < packets; ++seq) {
        std::ranges::stable_sort(heard[seq], {}, &std::pair<std::uint64_t, std::string>::first);
        for (auto& [ts, name] : heard[seq])
            per_packet[seq].push_back(name);
        ++orders[per_packet[seq]];
    }
    if (!orders.empty()) {
        auto most = std::ranges::max_element(orders, {}, &decltype(orders)::value_type::second);
        c.order = most->first;
        c.same_order = most->second;
        for (std::uint32_t seq = 0; seq < packets && c.deviations.size() < kMaxDeviations; ++seq)
            if (per_packet[seq] != c.order)
                c.deviations.push_back({seq, per_packet[seq]});
    }
    // Detach in reverse order of attaching (shared clsact qdiscs are removed by their creator).
    while (!singers.empty())
        singers.pop_back();
    return finish();
}

} // namespace hm
