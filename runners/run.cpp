#include "runners/run.h"

#include "matrix/features.h"
#include "matrix/results/kernel_axis.h"
#include "matrix/results/rounds.h"
#include "runners/host_runner.h"
#include "runners/kernels/guest_pool.h"
#include "runners/remeasure.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace hm {

bool RunOutcome::ok() const {
    return summarize(result.cells).ok() && std::ranges::all_of(result.choirs, &ChoirResult::ok);
}

namespace {
// The run as it goes: the request, what came out so far, and where it is told.
class Run {
public:
    Run(RunRequest& request, Reporter& reporters, const std::atomic<bool>& stop)
        : req_(request), reporters_(reporters), stop_(stop) {}
    RunOutcome go();

private:
    void host_cells();
    void more_rounds();
    void remeasure();
    void choirs();
    void guests();
    void compare_with_baseline();
    void add(CellResult cell) {
        // A guest's cells come after its kernel_runs entry, which names their release.
        if (req_.expect)
            mark_expected(cell, *req_.expect, out_.result.run.kernel_runs);
        out_.result.cells.push_back(std::move(cell));
        reporters_.cell(out_.result.cells.back());
    }
    void add(ChoirResult choir) {
        out_.result.choirs.push_back(std::move(choir));
        reporters_.choir(out_.result.choirs.back());
    }

    RunRequest& req_;
    Reporter& reporters_;
    const std::atomic<bool>& stop_;
    RunOutcome out_;
    std::unique_ptr<KernelFeatures> features_ = running_kernel_features();
    std::optional<HostRunner> runner_;
    std::vector<const Cell*> host_;                  // the host's cells, in plan order
    std::map<std::string, std::vector<Cell>> guest_; // the other kernels' cells, by kernel
    std::vector<std::string> guest_order_;           // the kernels in plan order
    bool host_in_plan_ = false; // in any shard: then this shard runs its slice of the choirs
};

RunOutcome Run::go() {
    const auto t0 = std::chrono::steady_clock::now();
    RunInfo& info = out_.result.run;
    info = req_.info;
    info.shard = req_.shard ? req_.shard->text() : "";
    info.packets_per_cell = req_.packets.value_or(
        req_.cells.empty() ? 0 : req_.cells.front().settings.packets.value_or(kDefaultPackets));
    out_.planned_cells = req_.cells.size();
    for (const Cell& cell : req_.cells) {
        if (cell.kernel == "host") {
            host_.push_back(&cell);
            continue;
        }
        if (!guest_.contains(cell.kernel))
            guest_order_.push_back(cell.kernel);
        guest_[cell.kernel].push_back(cell);
    }
    host_in_plan_ = !host_.empty() || std::ranges::any_of(req_.planned, [](const Cell& c) {
        return c.kernel == "host";
    });
    if (host_in_plan_)
        info.kernel_runs.push_back({.name = "host", .release = info.kernel_release, .how = "host"});
    runner_.emplace(*features_, HostRunnerOptions{.objects = req_.objects, .trace = req_.trace, .stop = &stop_});
    reporters_.begin(info, req_.cells.size());
    for (const std::string& line : req_.notes)
        reporters_.note(line);
    host_cells();
    more_rounds();
    remeasure();
    choirs();
    req_.pin.reset();
    guests();
    info.duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // Guests report in the order they finish; readers want kernels in version order.
    sort_kernel_runs(info.kernel_runs);
    compare_with_baseline();
    out_.written = reporters_.end(out_.result);
    out_.interrupted = stop_;
    return std::move(out_);
}

void Run::host_cells() {
    for (const Cell* cell : host_) {
        if (stop_)
            return;
        add(runner_->run_cell(*cell));
    }
}

void Run::more_rounds() {
    for (unsigned round = 2; round <= req_.rounds && !stop_; ++round) {
        reporters_.note(fmt::format("round {} of {}: the passing cells again", round, req_.rounds));
        for (std::size_t i = 0; i < host_.size() && !stop_; ++i)
            if (out_.result.cells[i].verdict == Verdict::Pass)
                join_round(out_.result.cells[i], runner_->run_cell(*host_[i]), round);
    }
}

void Run::remeasure() {
    if (!req_.baseline || stop_)
        return;
    // The host's cells are the first ones; every one of them ran unless the run was stopped.
    remeasure_regressions(*runner_, host_, std::span(out_.result.cells).first(host_.size()),
                          out_.result, *req_.baseline, {.rounds = req_.rounds},
                          [&](const std::string& line) {
                              reporters_.note("measured again: " + line);
                          });
}

void Run::choirs() {
    if (!req_.choir || !host_in_plan_)
        return;
    // One choir per device of the plan, in plan order, singing the plan's hooks for it.
    std::vector<const DeviceSpec*> devices;
    std::map<const DeviceSpec*, std::vector<const HookSpec*>> hooks;
    for (const Cell& cell : req_.planned) {
        if (cell.kernel != "host")
            continue;
        if (std::ranges::find(devices, cell.device) == devices.end())
            devices.push_back(cell.device);
        hooks[cell.device].push_back(cell.hook);
    }
    if (req_.shard)
        devices = take_shard(devices, *req_.shard);
    const std::uint32_t packets =
        out_.result.run.packets_per_cell ? out_.result.run.packets_per_cell : kDefaultPackets;
    const std::chrono::milliseconds timeout(req_.reply_timeout_ms.value_or(kDefaultReplyTimeoutMs));
    for (const DeviceSpec* d : devices) {
        if (stop_)
            return;
        add(runner_->run_choir(*d, packets, timeout, hooks[d]));
    }
}

void Run::guests() {
    if (guest_order_.empty() || stop_)
        return;
    std::vector<KernelCells> kernels;
    for (const std::string& k : guest_order_)
        kernels.push_back({k, guest_[k]});
    const GuestSettings& g = req_.guests;
    const KernelAxisOptions axis{.vm = {.cache = g.kernel_cache,
                                        .modules_dir = g.modules_dir,
                                        .accel = g.accel,
                                        .machine = {.timeout = g.timeout},
                                        .console_dir = g.console_dir},
                                 .guest = {.packets = req_.packets,
                                           .reply_timeout_ms = req_.reply_timeout_ms,
                                           .choir = req_.choir,
                                           .trace = req_.trace,
                                           .objects = req_.objects},
                                 .jobs = g.jobs};
    auto done = [&](GuestOutcome guest) {
        const KernelRun& k = guest.info;
        reporters_.note(k.error.empty()
                            ? fmt::format("kernel {} ({}): booted in {:.1f} s, done in {:.1f} s",
                                          k.name, k.release, k.boot_s, k.wall_s)
                            : "kernel " + k.name + ": " + k.error);
        out_.result.run.kernel_runs.push_back(k);
        for (auto& c : guest.cells)
            add(std::move(c));
        for (auto& c : guest.choirs)
            add(std::move(c));
    };
    run_kernels(
        kernels, axis, [&](const std::string& line) { reporters_.note(line); }, done, stop_);
}

void Run::compare_with_baseline() {
    if (!req_.baseline)
        return;
    // The results are reported even when they cannot be compared with the baseline.
    auto c = hm::compare_with_baseline(*req_.baseline, out_.result, req_.results_path);
    if (!c) {
        out_.incomparable = c.error();
        return;
    }
    out_.comparison = std::move(*c);
    reporters_.baseline(*out_.comparison);
}
} // namespace

RunOutcome run_matrix(RunRequest request, Reporter& reporters, const std::atomic<bool>& stop) {
    return Run(request, reporters, stop).go();
}

} // namespace hm
