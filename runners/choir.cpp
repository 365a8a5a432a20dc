// The choir: every hook that fits a device, attached on it at the same time on one rig, one
// shared event table, echo requests from near. Each packet's events, sorted by time, give the
// order in which the hooks along its path fired (runners/choir_order.h); the choir reports the
// order most packets saw and every packet that saw another. Users' programs write no events: with
// --trace their lines stand in, each attributed to its hook by the program code on the kernel
// stack it was printed from.
#include "matrix/rules.h"
#include "runners/cell_rig.h"
#include "runners/choir_order.h"
#include "runners/host_runner.h"
#include "runners/judge.h"

#include <algorithm>

namespace hm {

// A hook that sings: what the analysis needs of it, and its program at the hook.
struct HostRunner::Singer {
    ChoirSinger singer;
    const Mounted* mounted;
};

namespace {
// Of the hooks the choir sings on `device`, those this kernel has; the others are left out, with
// the reason.
std::vector<const HookSpec*> chosen_hooks(KernelFeatures& features, const DeviceSpec& device,
                                          const std::vector<const HookSpec*>& asked,
                                          ChoirResult& c) {
    const HookSpec* drv = find_hook("xdpdrv");
    const bool native_xdp = drv && !excluded(*drv, device) && features.hook(*drv).supported;
    std::vector<const HookSpec*> chosen;
    for (const HookSpec* h : choir_hooks(device, native_xdp, asked)) {
        if (Support s = features.hook(*h); !s.supported)
            c.left_out.emplace_back(std::string(h->name), s.reason);
        else
            chosen.push_back(h);
    }
    return chosen;
}

// Judges each voice that sang; a user's program is heard through its run counter (and, with
// --trace, fails when some packet left fewer lines than there are users' programs).
void judge_voices(ChoirResult& c, std::span<const HostRunner::Singer> singers,
                  const EchoRun& echoes, std::span<const hm_event> events,
                  const std::optional<std::string>& trace_failure) {
    const auto replies = static_cast<std::uint32_t>(std::ranges::count(echoes.replied, true));
    for (const HostRunner::Singer& s : singers) {
        auto voice = std::ranges::find(c.voices, s.singer.hook, &ChoirVoice::hook);
        const Attachment& attachment = *s.mounted->attachment;
        voice->attachment = attachment.describe();
        if (s.singer.user) {
            Judgement j = judge_run_count(s.mounted->program->run_count(), c.packets, replies,
                                          attachment.unreachable());
            if (trace_failure && j.verdict == Verdict::Pass) {
                j.verdict = Verdict::Fail;
                j.reason = *trace_failure;
            }
            write_judgement(j, *voice);
            continue;
        }
        write_judgement(judge({.hook_id = s.singer.id,
                               .expected_icmp_type = s.singer.expected_icmp_type,
                               .send_ns = echoes.send_ns,
                               .replied = echoes.replied,
                               .events = events,
                               .unreachable = attachment.unreachable()}),
                        *voice);
    }
}
} // namespace

std::vector<HostRunner::Singer>
HostRunner::mount_singers(CellRig& rig, std::span<const HookSpec* const> chosen, ChoirResult& c) {
    std::vector<Singer> singers;
    for (const HookSpec* h : chosen) {
        // Ids count the hooks that sing: a hook that could not be attached takes none.
        const auto id = static_cast<std::uint16_t>(singers.size() + 1);
        // Requests leave through the device's egress; what comes back in is the reply, except
        // on lo, where the request itself comes back in.
        const bool hears_request = h->direction == Direction::Egress || rig.topology().loopback();
        ChoirVoice& voice = c.voices.emplace_back(ChoirVoice{.hook = std::string(h->name)});
        auto mounted = [&]() -> Result<const Mounted*> {
            auto program = load(*h, id, rig.table().map_fd());
            if (!program)
                return std::unexpected(program.error());
            return rig.mount(*h, std::move(*program));
        }();
        if (!mounted) {
            voice.verdict = verdict_for(mounted.error());
            voice.reason = mounted.error().message();
            continue;
        }
        singers.push_back({{.hook = std::string(h->name),
                            .id = id,
                            .expected_icmp_type = static_cast<std::uint8_t>(
                                hears_request ? HM_ICMP_ECHO_REQUEST : HM_ICMP_ECHO_REPLY),
                            .user = users_.object_for(*h) != nullptr},
                           *mounted});
        if (singers.back().singer.user)
            singers.back().singer.code = (*mounted)->program->jited_code();
    }
    return singers;
}

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
    const std::vector<const HookSpec*> chosen = chosen_hooks(features_, device, hooks, c);
    // The near sender lives in the cgroup, so cgroup egress hears the requests it sends.
    auto rig = CellRig::build(
        device, {.event_table = true,
                 .cgroup = std::ranges::any_of(
                     chosen, [](const HookSpec* h) { return h->family == HookFamily::CgroupSkb; }),
                 .sender = Side::Near,
                 .sender_in_cgroup = true,
                 .magic = echo_magic_});
    if (!rig)
        return finish(rig.error().message());
    if (auto warm = (*rig)->warm_up("anything was attached"); !warm)
        return finish(warm.error().message());
    const std::vector<Singer> singers = mount_singers(**rig, chosen, c);
    // Only for the echoes: a stack costs each printing program microseconds. Without stacks
    // (an old kernel's instance lacks the option) the lines still judge the voices.
    struct StackRecording {
        UserPrograms& users;
        ~StackRecording() { (void)users.record_stacks(false); }
    } stacks{users_};
    if (users_.judged_by_trace())
        (void)users_.record_stacks(true);
    auto echoes = (*rig)->send_echoes(packets, reply_timeout);
    if (!echoes)
        return finish(echoes.error().message());
    std::optional<std::string> trace_failure;
    std::vector<Firing> lines;
    if (auto t = heard_trace(singers, echoes->send_ns); !t)
        return finish(t.error().message());
    else if (*t) {
        c.trace_order = std::move((*t)->lines.order);
        trace_failure = std::move((*t)->lines.failure);
        lines = std::move((*t)->firings);
    }
    const auto& events = (*rig)->table().events();
    judge_voices(c, singers, *echoes, events, trace_failure);
    std::vector<ChoirSinger> heard;
    for (const Singer& s : singers)
        heard.push_back(s.singer);
    FiringOrder order = firing_order(events, heard, packets, 10, lines);
    c.order = std::move(order.order);
    c.same_order = order.same_order;
    c.deviations = std::move(order.deviations);
    return finish();
}

Result<std::optional<HostRunner::HeardTrace>>
HostRunner::heard_trace(std::span<const Singer> singers, std::span<const std::uint64_t> send_ns) {
    const auto users = static_cast<std::uint32_t>(
        std::ranges::count_if(singers, [](const Singer& s) { return s.singer.user; }));
    if (!users || !users_.judged_by_trace())
        return std::nullopt;
    auto lines = users_.own_trace_lines();
    if (!lines)
        return std::unexpected(lines.error());
    std::vector<std::pair<std::uint64_t, std::string>> timed;
    for (const TraceLine& l : *lines)
        timed.emplace_back(l.ts_ns, l.text);
    std::vector<ChoirSinger> heard;
    for (const Singer& s : singers)
        heard.push_back(s.singer);
    return HeardTrace{trace_order(timed, send_ns, users), trace_firings(*lines, send_ns, heard)};
}

} // namespace hm
