// SPDX-License-Identifier: GPL-2.0
/* The hookmatrix probe: records every hookmatrix ICMP echo it sees in its slot and returns the
 * hook's pass action. Built once per program type (PROBE_XDP, PROBE_SKB), because XDP reads the
 * frame directly while every skb-based hook reads from the network header with
 * bpf_skb_load_bytes_relative: the data pointer of a socket filter under iptables starts at the IP
 * header, while tc starts at the Ethernet header, and the helper hides that difference. Netfilter
 * programs (PROBE_NF) get no __sk_buff at all but a kernel struct sk_buff, read through BTF. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "hookmatrix/event.h"

char LICENSE[] SEC("license") = "GPL";

const volatile struct hm_probe_config cfg = {};

/* Created by hookmatrix (runners/programs/event_table.cpp) and shared by every probe of a cell. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(map_flags, BPF_F_MMAPABLE);
    __type(key, __u32);
    __type(value, struct hm_slot);
    __uint(max_entries, HM_SLOTS);
} events SEC(".maps");

/* linux/icmp.h drags in libc headers that do not build for -target bpf. */
struct hm_icmp_echo {
    __u8 type;
    __u8 code;
    __sum16 checksum;
    __be16 id;
    __be16 sequence;
};

struct hm_l4 {
    struct hm_icmp_echo icmp;
    struct hm_payload payload;
};

static __always_inline void record(const struct hm_l4 *l4, __u32 ifindex, __u64 now)
{
    if (l4->icmp.type != HM_ICMP_ECHO_REQUEST && l4->icmp.type != HM_ICMP_ECHO_REPLY)
        return;
    if (bpf_ntohl(l4->payload.magic) != cfg.magic)
        return;
    const __u32 seq = bpf_ntohl(l4->payload.seq);
    const __u32 key = hm_slot_index(cfg.hook_id, l4->icmp.type, seq);
    struct hm_slot *s = bpf_map_lookup_elem(&events, &key);
    if (!s)
        return;
    /* The first firing for a packet is the one timed; a second one only counts, and hookmatrix
     * calls the hook's verdict a fail. The count goes last: hookmatrix reads it first and the
     * rest only when it grew (x86's locked add orders the stores before it). */
    if (s->tag != seq + 1) {
        s->ts_ns = now;
        s->ifindex = ifindex;
        s->tag = seq + 1;
    }
    __sync_fetch_and_add(&s->count, 1);
}

#ifdef PROBE_XDP
SEC("xdp")
int probe(struct xdp_md *ctx)
{
    __u64 now = bpf_ktime_get_ns();
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
        return cfg.pass_action;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_ICMP || ip->ihl < 5)
        return cfg.pass_action;
    struct hm_l4 *l4 = (void *)ip + ip->ihl * 4;
    if ((void *)(l4 + 1) > end)
        return cfg.pass_action;
    record(l4, ctx->ingress_ifindex, now);
    return cfg.pass_action;
}
#endif

#ifdef PROBE_SKB
/* One body for every __sk_buff program type; the section only picks libbpf's default type, the
 * loader sets the real one per hook. */
SEC("socket")
int probe(struct __sk_buff *skb)
{
    __u64 now = bpf_ktime_get_ns();
    /* One helper call for the header and the echo when the header has no options, as every
     * hookmatrix request has; a packet too short for both cannot be one either. */
    struct {
        struct iphdr ip;
        struct hm_l4 l4;
    } pkt;
    if (skb->protocol != bpf_htons(ETH_P_IP))
        return cfg.pass_action;
    if (bpf_skb_load_bytes_relative(skb, 0, &pkt, sizeof(pkt), BPF_HDR_START_NET))
        return cfg.pass_action;
    if (pkt.ip.protocol != IPPROTO_ICMP || pkt.ip.ihl < 5)
        return cfg.pass_action;
    if (pkt.ip.ihl > 5 &&
        bpf_skb_load_bytes_relative(skb, pkt.ip.ihl * 4, &pkt.l4, sizeof(pkt.l4),
                                    BPF_HDR_START_NET))
        return cfg.pass_action;
    record(&pkt.l4, skb->ifindex, now);
    return cfg.pass_action;
}
#endif

#ifdef PROBE_NF
/* A netfilter program's context is struct bpf_nf_ctx; the verifier types ctx->skb and ctx->state
 * as trusted pointers to the kernel's struct sk_buff and struct nf_hook_state (BTF). Without a
 * vmlinux.h, the few members the probe needs are declared here with preserve_access_index, so
 * libbpf relocates every offset against the running kernel's BTF (CO-RE).
 *
 * The packet is read with bpf_probe_read_kernel from skb->head + skb->network_header rather than
 * through bpf_dynptr_from_skb: the dynptr kfunc needs a kernel that registers the skb kfunc set
 * for netfilter programs and a kfunc extern resolved by libbpf, while these reads use only base
 * helpers and so load on every kernel that has netfilter programs (6.4+). They cover the linear
 * part of the skb only, which is all of a hookmatrix echo (a few dozen bytes, built linear by the
 * sender's stack and by veth's receive path). */
#include <bpf/bpf_core_read.h>

struct net_device {
    int ifindex;
} __attribute__((preserve_access_index));

struct nf_hook_state {
    struct net_device *in;  /* set at LOCAL_IN */
    struct net_device *out; /* set at LOCAL_OUT */
} __attribute__((preserve_access_index));

struct sk_buff {
    unsigned char *head;
    __u16 network_header; /* offset from head */
} __attribute__((preserve_access_index));

struct bpf_nf_ctx {
    const struct nf_hook_state *state;
    struct sk_buff *skb;
} __attribute__((preserve_access_index));

/* libbpf 1.1.2 knows no SEC("netfilter"); the loader sets the program type and the
 * expected_attach_type BPF_NETFILTER the kernel requires. The link is for NFPROTO_IPV4, so every
 * packet here is IPv4; the verifier allows only NF_DROP and NF_ACCEPT, and the probe never drops:
 * cfg.pass_action is NF_ACCEPT, a constant of the frozen .rodata that the verifier can see. */
SEC("socket")
int probe(struct bpf_nf_ctx *ctx)
{
    __u64 now = bpf_ktime_get_ns();
    struct sk_buff *skb = ctx->skb;
    const struct nf_hook_state *state = ctx->state;
    unsigned char *head = BPF_CORE_READ(skb, head);
    __u16 nh = BPF_CORE_READ(skb, network_header);
    struct iphdr ip;
    struct hm_l4 l4;
    if (bpf_probe_read_kernel(&ip, sizeof(ip), head + nh))
        return cfg.pass_action;
    if (ip.version != 4 || ip.protocol != IPPROTO_ICMP || ip.ihl < 5)
        return cfg.pass_action;
    if (bpf_probe_read_kernel(&l4, sizeof(l4), head + nh + ip.ihl * 4))
        return cfg.pass_action;
    struct net_device *dev = BPF_CORE_READ(state, in);
    if (!dev)
        dev = BPF_CORE_READ(state, out);
    record(&l4, dev ? BPF_CORE_READ(dev, ifindex) : 0, now);
    return cfg.pass_action;
}
#endif
