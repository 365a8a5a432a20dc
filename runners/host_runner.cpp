#include "runners/host_runner.h"

#include "core/cgroup.h"
#include "runners/attach/attacher.h"
#include "runners/programs/event_table.h"
#include "runners/traffic/icmp_echo.h"
#include "runners/judge.h"
#include "runners/programs/program.h"
#include "runners/topology/topology.h"
#include "runners/traffic/echo_run.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <optional>
#include <random>

namespace hm {

std::string running_kernel_release() {
    utsname u{};
    ::uname(&u);
    return u.release;
}

HostRunner::HostRunner(KernelFeatures& features, RunOptions options)
    : features_(features), options_(options), release_(running_kernel_release()),
      magic_(std::random_device{}()) {}

namespace {
constexpr std::uint16_t kHookId = 1;
constexpr std::size_t kMaxTraceLines = 10'000;

std::set<int> own_threads() {
    std::set<int> tids;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/task", ec))
        tids.insert(std::atoi(e.path().filename().c_str()));
    return tids;
}

CellResult from_error(CellResult r, const Error& e) {
    r.verdict = e.err == EOPNOTSUPP ? Verdict::Unsupported : Verdict::Error;
    r.reason = e.message();
    r.detail = e.detail;
    return r;
}
} // namespace

const UserObject* HostRunner::user_object(const HookSpec& hook) const {
    for (std::string_view key : {hook.name, std::string_view("*")})
        if (auto it = options_.objects.find(std::string(key)); it != options_.objects.end())
            return &it->second;
    return nullptr;
}

Status HostRunner::prepare_user_programs() {
    if (!stats_) {
        auto stats = BpfStats::enable();
        if (!stats)
            return std::unexpected(stats.error());
        stats_ = std::move(*stats);
        if (auto state = TracePrintkEventState::save())
            printk_event_.emplace(std::move(*state));
    }
    if (options_.trace && !trace_) {
        auto instance = TraceInstance::create();
        if (!instance)
            return std::unexpected(instance.error());
        trace_.emplace(std::move(*instance));
    }
    if (trace_)
        return trace_->clear();
    return {};
}

Result<std::vector<TraceLine>> HostRunner::own_trace_lines() const {
    auto lines = trace_->read();
    if (!lines)
        return lines;
    // Lines of other processes' programs land in the instance too: only lines printed in the
    // context of hookmatrix's own threads are ours.
    const std::set<int> ours = own_threads();
    std::erase_if(*lines, [&](const TraceLine& l) { return !ours.contains(l.pid); });
    return lines;
}

CellResult HostRunner::run_cell(const Cell& cell) {
    const std::uint64_t started = monotonic_ns();
    CellResult r{.hook = std::string(cell.hook->name),
                 .device = std::string(cell.device->name),
                 .kernel = release_};
    auto finish = [&](CellResult res) {
        res.duration_s = static_cast<double>(monotonic_ns() - started) / 1e9;
        return res;
    };
    const HookSpec& hook = *cell.hook;
    const std::uint32_t packets = cell.settings.packets.value_or(options_.packets);
    const auto reply_timeout = cell.settings.reply_timeout_ms
                                   ? std::chrono::milliseconds(*cell.settings.reply_timeout_ms)
                                   : options_.reply_timeout;
    for (Support s : {features_.device(*cell.device), features_.hook(hook)})
        if (!s.supported) {
            r.verdict = Verdict::Unsupported;
            r.reason = s.reason;
            return finish(std::move(r));
        }

    // Construction order is teardown order reversed: detach, unload, then the namespaces go.
    auto topo = build_topology(*cell.device);
    if (!topo)
        return finish(from_error(std::move(r), topo.error()));
    auto table = EventTable::create();
    if (!table)
        return finish(from_error(std::move(r), table.error()));
    const Endpoint& near = (*topo)->near();
    // Ingress hooks are fired by requests from far to the DUT, egress hooks by requests from the
    // DUT to far: the latency is always sender to hook, one way.
    const Side from_side = hook.direction == Direction::Ingress ? Side::Far : Side::Near;
    const Endpoint& from = (*topo)->end(from_side);
    const Endpoint& to = (*topo)->end(from_side == Side::Far ? Side::Near : Side::Far);
    // cgroup hooks run for the sockets of one cgroup: the cell makes its own before the sender,
    // and a sender on the near side (egress) is made in it.
    std::optional<Cgroup> cgroup;
    if (hook.family == HookFamily::CgroupSkb) {
        auto made = Cgroup::create();
        if (!made)
            return finish(from_error(std::move(r), made.error()));
        cgroup = std::move(*made);
    }
    const int cgroup_fd = cgroup ? cgroup->fd() : -1;
    auto sock = (*topo)->sender(from_side, from_side == Side::Near ? cgroup_fd : -1);
    if (!sock)
        return finish(from_error(std::move(r), sock.error()));
    const auto ident = static_cast<std::uint16_t>(::getpid());

    if (!warm_up(**sock, to.addr, ident, magic_)) {
        r.verdict = Verdict::Error;
        r.reason = "no reply to warm-up echo requests from " + from.addr_text + " to " +
                   to.addr_text + " before the program was attached: the topology does not forward";
        return finish(std::move(r));
    }

    const UserObject* user = user_object(hook);
    if (user)
        if (auto ready = prepare_user_programs(); !ready)
            return finish(from_error(std::move(r), ready.error()));
    auto program = user ? load_user_program(*user, hook)
                        : load_probe(hook, {.hook_id = kHookId, .magic = magic_,
                                            .events_fd = (*table)->map_fd()});
    if (!program)
        return finish(from_error(std::move(r), program.error()));
    auto attachment = attacher_for(hook.family)
                          .attach({.ns = near.ns, .ifname = near.ifname, .ifindex = near.ifindex,
                                   .device_fd = (*topo)->device_fd(), .cgroup_fd = cgroup_fd},
                                  hook, **program);
    if (!attachment)
        return finish(from_error(std::move(r), attachment.error()));
    r.attachment = (*attachment)->describe();

    auto echoes = send_echoes(**sock, to.addr, ident, magic_, packets, reply_timeout, **table);
    if (!echoes)
        return finish(from_error(std::move(r), echoes.error()));
    if (user) {
        const auto replies =
            static_cast<std::uint32_t>(std::ranges::count(echoes->replied, true));
        Judgement j;
        if (trace_) {
            auto lines = own_trace_lines();
            if (!lines)
                return finish(from_error(std::move(r), lines.error()));
            std::vector<std::uint64_t> line_ns;
            for (const TraceLine& l : *lines) {
                line_ns.push_back(l.ts_ns);
                if (r.trace.size() < kMaxTraceLines)
                    r.trace.push_back(l.task + "-" + std::to_string(l.pid) + ": " + l.text);
            }
            j = judge_trace(line_ns, echoes->send_ns, replies);
            r.latency = summarize(j.samples_ns);
            r.samples_ns = j.samples_ns;
        } else {
            j = judge_run_count((*program)->run_count(), packets, replies,
                                (*attachment)->unreachable());
        }
        r.verdict = j.verdict;
        r.reason = j.reason;
        r.packets_sent = packets;
        r.replies = j.replies;
        r.fired = j.fired;
        r.attachment += "; program " + (*program)->describe();
        return finish(std::move(r));
    }
    Observation obs{.hook_id = kHookId,
                    .expected_icmp_type = HM_ICMP_ECHO_REQUEST,
                    .send_ns = echoes->send_ns,
                    .replied = echoes->replied,
                    .events = (*table)->events(),
                    .unreachable = (*attachment)->unreachable()};
    Judgement j = judge(obs);
    r.verdict = j.verdict;
    r.reason = j.reason;
    r.packets_sent = packets;
    r.replies = j.replies;
    r.fired = j.fired;
    r.latency = summarize(j.samples_ns);
    r.samples_ns = std::move(j.samples_ns);
    return finish(std::move(r));
}

} // namespace hm
