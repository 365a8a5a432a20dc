#include "runners/user_programs.h"

#include <cstdlib>
#include <filesystem>
#include <set>

namespace hm {

namespace {
std::set<int> own_threads() {
    std::set<int> tids;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/task", ec))
        tids.insert(std::atoi(e.path().filename().c_str()));
    return tids;
}
} // namespace

const UserObject* UserPrograms::object_for(const HookSpec& hook) const {
    for (std::string_view key : {hook.name, std::string_view("*")})
        if (auto it = objects_.find(std::string(key)); it != objects_.end())
            return &it->second;
    return nullptr;
}

Status UserPrograms::prepare() {
    if (!printk_event_) {
        // A Hello-World program turns the host's switch on for good: without a way to put it
        // back, hookmatrix does not load one.
        auto state = TracePrintkEventState::save();
        if (!state)
            return std::unexpected(state.error());
        printk_event_.emplace(std::move(*state));
    }
    if (!stats_) {
        auto stats = BpfStats::enable();
        if (!stats)
            return std::unexpected(stats.error());
        stats_ = std::move(*stats);
    }
    if (trace_ && !instance_) {
        auto instance = TraceInstance::create();
        if (!instance)
            return std::unexpected(instance.error());
        instance_.emplace(std::move(*instance));
    }
    if (instance_)
        return instance_->clear();
    return {};
}

Result<std::unique_ptr<Program>> UserPrograms::load(const HookSpec& hook) {
    if (auto ready = prepare(); !ready)
        return std::unexpected(ready.error());
    return load_user_program(*object_for(hook), hook);
}

Status UserPrograms::record_stacks(bool on) {
    return instance_ ? instance_->record_stacks(on) : Status{};
}

Result<std::vector<TraceLine>> UserPrograms::own_trace_lines() const {
    if (!instance_)
        return std::vector<TraceLine>();
    auto lines = instance_->read();
    if (!lines)
        return lines;
    // Lines of other processes' programs land in the instance too: only lines printed in the
    // context of hookmatrix's own threads are ours.
    const std::set<int> ours = own_threads();
    std::erase_if(*lines, [&](const TraceLine& l) { return !ours.contains(l.pid); });
    return lines;
}

} // namespace hm
