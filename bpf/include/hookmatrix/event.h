/* The event ABI between the probe programs and hookmatrix: one header that both the BPF C side and
 * the C++ side include, so the layout cannot drift. Plain C, fixed-width kernel types only. */
#ifndef HOOKMATRIX_EVENT_H
#define HOOKMATRIX_EVENT_H

#include <linux/types.h>

/* Every packet hookmatrix sends is an ICMP echo whose payload starts with this header. */
struct hm_payload {
    __be32 magic; /* per run: packets of other runs or tools are ignored */
    __be32 seq;   /* the sender's sequence number, 32 bits so long runs do not wrap */
};

/* One record per probe execution on a hookmatrix packet. */
struct hm_event {
    __u64 ts_ns;     /* bpf_ktime_get_ns(): CLOCK_MONOTONIC, the sender's clock too */
    __u32 seq;       /* from hm_payload, host order */
    __u32 ifindex;   /* device the packet was on, 0 when the hook does not say */
    __u16 hook_id;   /* which attachment fired; set per program before load */
    __u8 icmp_type;  /* 8 = echo request, 0 = echo reply */
    __u8 pad[5];
};

/* Set by the loader in .rodata before the program is loaded. */
struct hm_probe_config {
    __u32 magic;       /* host order; compared with hm_payload.magic */
    __u32 pass_action; /* what the hook's "let it through" return value is */
    __u16 hook_id;
    __u16 pad;
};

/* Size of the ring the probes share; the loader creates it and hands it to every program. */
#define HM_RING_BYTES (1 << 20)

#define HM_ICMP_ECHO_REPLY 0
#define HM_ICMP_ECHO_REQUEST 8

#endif
