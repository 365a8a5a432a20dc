#include "runners/event_ring.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cstring>

namespace hm {

Result<std::unique_ptr<EventRing>> EventRing::create() {
    std::unique_ptr<EventRing> ring(new EventRing);
    int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "hm_events", 0, 0, HM_RING_BYTES, nullptr);
    if (fd < 0)
        return fail("create the BPF ring buffer for probe events", errno,
                    "BPF ring buffers need kernel 5.8 or newer");
    ring->map_.reset(fd);
    ring->ring_ = ring_buffer__new(fd, &EventRing::on_sample, ring.get(), nullptr);
    if (!ring->ring_)
        return fail("map the BPF ring buffer", errno);
    return ring;
}

EventRing::~EventRing() {
    if (ring_)
        ring_buffer__free(ring_);
}

void EventRing::drain() { ring_buffer__consume(ring_); }

int EventRing::on_sample(void* ctx, void* data, std::size_t size) {
    auto* self = static_cast<EventRing*>(ctx);
    if (size < sizeof(hm_event))
        return 0;
    hm_event e;
    std::memcpy(&e, data, sizeof e);
    self->events_.push_back(e);
    return 0;
}

} // namespace hm
