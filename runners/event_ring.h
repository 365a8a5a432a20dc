#pragma once
// The BPF ring buffer every probe of a cell writes its hm_event records into. hookmatrix creates
// the map and each probe reuses it, so one ring serves one hook or a whole choir.
#include "core/error.h"
#include "core/unique_fd.h"
#include "hookmatrix/event.h"

#include <memory>
#include <vector>

struct ring_buffer;

namespace hm {

class EventRing {
public:
    static Result<std::unique_ptr<EventRing>> create();
    ~EventRing();

    int map_fd() const { return map_.get(); }
    // Moves whatever the kernel has written so far into events(); no syscall when empty.
    // The only way to read the ring: the probes submit without waking a consumer
    // (BPF_RB_NO_WAKEUP, bpf/probe.bpf.c), so sleeping in epoll on it would never return.
    void drain();
    const std::vector<hm_event>& events() const { return events_; }

private:
    EventRing() = default;
    static int on_sample(void* ctx, void* data, std::size_t size);
    UniqueFd map_;
    ring_buffer* ring_ = nullptr;
    std::vector<hm_event> events_;
};

} // namespace hm
