#include "runners/programs/event_table.h"

#include <bpf/bpf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>

namespace hm {

Result<std::unique_ptr<EventTable>> EventTable::create() {
    std::unique_ptr<EventTable> table(new EventTable);
    LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE);
    int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "hm_events", sizeof(std::uint32_t), sizeof(hm_slot),
                            HM_SLOTS, &opts);
    if (fd < 0)
        return fail("create the BPF array for probe events", errno,
                    "mmap-able BPF arrays need kernel 5.5 or newer");
    table->map_.reset(fd);
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    table->mapped_bytes_ = (sizeof(hm_slot) * HM_SLOTS + page - 1) / page * page;
    void* p = ::mmap(nullptr, table->mapped_bytes_, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return fail("map the BPF array for probe events", errno);
    table->slots_ = static_cast<const hm_slot*>(p);
    table->taken_.assign(HM_SLOTS, 0);
    return table;
}

EventTable::~EventTable() {
    if (slots_)
        ::munmap(const_cast<hm_slot*>(slots_), mapped_bytes_);
}

void EventTable::collect(std::uint32_t first, std::uint32_t end) {
    for (std::uint16_t hook = 0; hook < HM_SLOT_HOOKS; ++hook)
        for (std::uint8_t type : {HM_ICMP_ECHO_REQUEST, HM_ICMP_ECHO_REPLY})
            for (std::uint32_t seq = first; seq < end; ++seq) {
                const std::uint32_t i = hm_slot_index(hook, type, seq);
                const hm_slot& s = slots_[i];
                // The probe adds to count after the stores it counts (bpf/probe.bpf.c).
                const std::uint32_t count = std::atomic_ref(const_cast<std::uint32_t&>(s.count))
                                                .load(std::memory_order_acquire);
                if (count == taken_[i])
                    continue;
                const hm_event e{.ts_ns = s.ts_ns,
                                 .seq = s.tag - 1,
                                 .ifindex = s.ifindex,
                                 .hook_id = hook,
                                 .icmp_type = type,
                                 .pad = {}};
                events_.insert(events_.end(), count - taken_[i], e);
                taken_[i] = count;
            }
}

} // namespace hm
