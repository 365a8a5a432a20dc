// SPDX-License-Identifier: GPL-2.0
/* The program the classic shell recipe (bench/classic_recipe.cpp) loads with ip, tc and bpftool:
 * the walk-through's Hello World without its bpf_trace_printk, which would switch on a trace event
 * on the host and write into the host's trace buffer. One build per section, because
 * `bpftool prog load` pins only an object's first program. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#ifdef RECIPE_XDP
SEC("xdp")
int hello(struct xdp_md *ctx)
{
    return XDP_PASS;
}
#endif

#ifdef RECIPE_TC
SEC("tc")
int hello(struct __sk_buff *skb)
{
    return TC_ACT_OK;
}
#endif

#ifdef RECIPE_SOCKET
/* xt_bpf: a non-zero return is a match; the rule has no target, so it only counts. */
SEC("socket")
int hello(struct __sk_buff *skb)
{
    return 1;
}
#endif
