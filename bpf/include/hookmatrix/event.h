/* The event ABI between the probe programs and hookmatrix: one header that both the BPF C side and
 * the C++ side include, so the layout cannot drift. Plain C, fixed-width kernel types only. */
#ifndef HOOKMATRIX_EVENT_H
#define HOOKMATRIX_EVENT_H

#include <linux/types.h>

#define HM_ICMP_ECHO_REPLY 0
#define HM_ICMP_ECHO_REQUEST 8

/* Every packet hookmatrix sends is an ICMP echo whose payload starts with this header. */
struct hm_payload {
    __be32 magic; /* per run: packets of other runs or tools are ignored */
    __be32 seq;   /* the sender's sequence number, 32 bits so long runs do not wrap */
};

/* One firing as hookmatrix reports it, rebuilt from the probe's slot (below). */
struct hm_event {
    __u64 ts_ns;     /* bpf_ktime_get_ns(): CLOCK_MONOTONIC, the sender's clock too */
    __u32 seq;       /* from hm_payload, host order */
    __u32 ifindex;   /* device the packet was on, 0 when the hook does not say */
    __u16 hook_id;   /* which attachment fired; set per program before load */
    __u8 icmp_type;  /* 8 = echo request, 0 = echo reply */
    __u8 pad[5];
};

/* What the probe writes: one slot per (hook, echo type, packet), in an mmap-able array map that
 * hookmatrix reads in place. A slot is a fixed place, so recording is a few stores to a line the
 * previous packet of the same hook warmed, with no spinlock and no producer position to share,
 * which a ring buffer's reserve and commit have (issue 7: under 100 ns per packet).
 * Packets reuse slots HM_SLOT_PACKETS apart; hookmatrix reads a packet's slots right after its
 * reply, long before that. */
struct hm_slot {
    __u64 ts_ns;   /* the first firing's time for the packet in `tag` */
    __u32 tag;     /* that packet's seq + 1; 0 until the slot is first written */
    __u32 count;   /* firings into this slot, over every packet it has held */
    __u32 ifindex; /* the first firing's device */
    __u32 pad;
};

#define HM_SLOT_HOOKS 32     /* hook ids 0..31 */
#define HM_SLOT_PACKETS 1024 /* a power of two */
#define HM_SLOTS (HM_SLOT_HOOKS * 2 * HM_SLOT_PACKETS)

/* Lane = hook and echo type; the packets of a lane are consecutive slots. */
static inline __u32 hm_slot_index(__u16 hook_id, __u8 icmp_type, __u32 seq)
{
    __u32 lane = (__u32)hook_id * 2 + (icmp_type == HM_ICMP_ECHO_REPLY);
    return lane * HM_SLOT_PACKETS + (seq & (HM_SLOT_PACKETS - 1));
}

/* Set by the loader in .rodata before the program is loaded. */
struct hm_probe_config {
    __u32 magic;       /* host order; compared with hm_payload.magic */
    __u32 pass_action; /* what the hook's "let it through" return value is */
    __u16 hook_id;
    __u16 pad;
};

#endif
