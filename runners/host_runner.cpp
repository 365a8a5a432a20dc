#include "runners/host_runner.h"

#include "runners/cell_rig.h"
#include "runners/judge.h"
#include "runners/programs/probe.h"

#include <fmt/format.h>

#include <sys/utsname.h>

#include <algorithm>
#include <random>

namespace hm {

std::string running_kernel_release() {
    utsname u{};
    ::uname(&u);
    return u.release;
}

HostRunner::HostRunner(KernelFeatures& features, HostRunnerOptions options)
    : features_(features), options_(std::move(options)), users_(options_.objects, options_.trace),
      release_(running_kernel_release()), echo_magic_(std::random_device{}()) {}

namespace {
constexpr std::uint16_t kHookId = 1;
constexpr std::size_t kMaxTraceLines = 10'000;

CellResult from_error(CellResult r, const Error& e) {
    r.verdict = verdict_for(e);
    r.reason = e.message();
    r.detail = e.detail;
    return r;
}

// A user's program is heard by its trace lines (--trace) or by the kernel's run counter.
Result<Judgement> judge_user(const UserPrograms& users, const Mounted& m, const EchoRun& echoes,
                             std::uint32_t packets, CellResult& r) {
    const auto replies = static_cast<std::uint32_t>(std::ranges::count(echoes.replied, true));
    if (!users.judged_by_trace())
        return judge_run_count(m.program->run_count(), packets, replies,
                               m.attachment->unreachable());
    auto lines = users.own_trace_lines();
    if (!lines)
        return std::unexpected(lines.error());
    std::vector<std::uint64_t> line_ns;
    for (const TraceLine& l : *lines) {
        line_ns.push_back(l.ts_ns);
        if (r.trace.size() < kMaxTraceLines)
            r.trace.push_back(l.task + "-" + std::to_string(l.pid) + ": " + l.text);
    }
    return judge_trace(line_ns, echoes.send_ns, replies);
}
} // namespace

Result<std::unique_ptr<Program>> HostRunner::load(const HookSpec& hook, std::uint16_t hook_id,
                                                  int events_fd) {
    if (users_.object_for(hook))
        return users_.load(hook);
    return load_probe(hook, {.hook_id = hook_id, .magic = echo_magic_, .events_fd = events_fd});
}

CellResult HostRunner::run_cell(const Cell& cell) {
    const std::uint64_t started = monotonic_ns();
    CellResult r{.hook = std::string(cell.hook->name),
                 .device = std::string(cell.device->name),
                 .kernel = release_};
    r = [&] {
        for (Support s : {features_.device(*cell.device), features_.hook(*cell.hook)})
            if (!s.supported) {
                r.verdict = Verdict::Unsupported;
                r.reason = s.reason;
                return std::move(r);
            }
        return measure(cell, std::move(r));
    }();
    r.duration_s = static_cast<double>(monotonic_ns() - started) / 1e9;
    return r;
}

CellResult HostRunner::measure(const Cell& cell, CellResult r) {
    const HookSpec& hook = *cell.hook;
    const std::uint32_t packets = cell.settings.packets.value_or(options_.packets);
    const auto reply_timeout = cell.settings.reply_timeout_ms
                                   ? std::chrono::milliseconds(*cell.settings.reply_timeout_ms)
                                   : options_.reply_timeout;
    // Ingress hooks are fired by requests from far to the DUT, egress hooks by requests from the
    // DUT to far: the latency is always sender to hook, one way. cgroup hooks run for the sockets
    // of the cell's own cgroup, and a near (egress) sender is made in it.
    const Side from = hook.direction == Direction::Ingress ? Side::Far : Side::Near;
    auto rig = CellRig::build(*cell.device, {.event_table = true,
                                             .cgroup = hook.family == HookFamily::CgroupSkb,
                                             .sender = from,
                                             .sender_in_cgroup = true,
                                             .magic = echo_magic_});
    if (!rig)
        return from_error(std::move(r), rig.error());
    if (auto warm = (*rig)->warm_up("the program was attached: the topology does not forward");
        !warm) {
        r.verdict = Verdict::Error;
        r.reason = warm.error().message();
        return r;
    }
    auto program = load(hook, kHookId, (*rig)->table().map_fd());
    if (!program)
        return from_error(std::move(r), program.error());
    auto mounted = (*rig)->mount(hook, std::move(*program));
    if (!mounted)
        return from_error(std::move(r), mounted.error());
    const Mounted& m = **mounted;
    r.attachment = m.attachment->describe();
    auto echoes = (*rig)->send_echoes(packets, reply_timeout, options_.stop);
    if (!echoes)
        return from_error(std::move(r), echoes.error());
    if (echoes->stopped) {
        // Judged on the packets it sent, a stopped cell could pass on a handful: say what it is.
        r.verdict = Verdict::Error;
        r.packets_sent = static_cast<std::uint32_t>(echoes->send_ns.size());
        r.reason = fmt::format("interrupted: stopped by a signal after {} of {} packets; not judged",
                               r.packets_sent, packets);
        return r;
    }
    if (users_.object_for(hook)) {
        auto j = judge_user(users_, m, *echoes, packets, r);
        if (!j)
            return from_error(std::move(r), j.error());
        r.packets_sent = packets;
        write_judgement(std::move(*j), r);
        r.attachment += "; program " + m.program->describe();
        return r;
    }
    r.packets_sent = packets;
    write_judgement(judge({.hook_id = kHookId,
                           .expected_icmp_type = HM_ICMP_ECHO_REQUEST,
                           .send_ns = echoes->send_ns,
                           .replied = echoes->replied,
                           .events = (*rig)->table().events(),
                           .unreachable = m.attachment->unreachable()}),
                    r);
    return r;
}

} // namespace hm
