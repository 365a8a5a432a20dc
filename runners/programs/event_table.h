#pragma once
// The table of slots every probe of a cell writes its firings into (hm_slot, one per hook, echo
// type and packet: hookmatrix/event.h). hookmatrix creates the map, maps it read-only into its
// own memory, and each probe reuses it, so one table serves one hook or a whole choir. Reading it
// costs no syscall.
#include "core/error.h"
#include "core/unique_fd.h"
#include "hookmatrix/event.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace hm {

class EventTable {
public:
    static Result<std::unique_ptr<EventTable>> create();
    ~EventTable();
    EventTable(const EventTable&) = delete;
    EventTable& operator=(const EventTable&) = delete;

    int map_fd() const { return map_.get(); }
    // Moves the firings the probes recorded for packets [first, end) since the last collect into
    // events(). Packets more than HM_SLOT_PACKETS before `end` are gone: their slots hold newer
    // packets by then.
    void collect(std::uint32_t first, std::uint32_t end);
    // collect() for the last packets before `end`: what a sender calls after each reply, as a
    // hook may fire for a packet after its reply came back (an egress hook on the far side).
    void collect_recent(std::uint32_t end) { collect(end > kRecent ? end - kRecent : 0, end); }
    // collect() for every packet whose slots are still there.
    void collect_all(std::uint32_t end) {
        collect(end > HM_SLOT_PACKETS ? end - HM_SLOT_PACKETS : 0, end);
    }
    const std::vector<hm_event>& events() const { return events_; }

private:
    static constexpr std::uint32_t kRecent = 4;
    EventTable() = default;
    UniqueFd map_;
    const hm_slot* slots_ = nullptr;
    std::size_t mapped_bytes_ = 0;
    std::vector<std::uint32_t> taken_; // per slot: the firings already moved into events_
    std::vector<hm_event> events_;
};

} // namespace hm
