// SPDX-License-Identifier: GPL-2.0
/* The program `hookmatrix bench` attaches: it counts every packet and returns one fixed action.
 * It reads nothing from the packet, so what bench measures is the hook and the path to it, not
 * a parser. The count lives in a per-CPU array so that the counter itself never bounces a cache
 * line between CPUs; hookmatrix sums the CPUs' slots. Built once per context type (THROUGHPUT_XDP,
 * THROUGHPUT_SKB) like the probe. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "hookmatrix/throughput.h"

char LICENSE[] SEC("license") = "GPL";

const volatile struct hm_throughput_config cfg = {};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

static __always_inline int count(void)
{
    __u32 key = 0;
    __u64 *n = bpf_map_lookup_elem(&counts, &key);
    if (n)
        *n += 1;
    return cfg.action;
}

#ifdef THROUGHPUT_XDP
SEC("xdp")
int counter(struct xdp_md *ctx)
{
    return count();
}
#endif

#ifdef THROUGHPUT_SKB
/* The section only picks libbpf's default type; the loader sets the hook's (sched_cls). */
SEC("socket")
int counter(struct __sk_buff *skb)
{
    return count();
}
#endif
