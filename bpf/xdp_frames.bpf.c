// SPDX-License-Identifier: GPL-2.0
/* The XDP-frame source of `hookmatrix bench`, as xdp-trafficgen makes its traffic: hookmatrix runs
 * this program with BPF_PROG_RUN and BPF_F_TEST_XDP_LIVE_FRAMES (Linux 5.18+), so the kernel
 * turns one frame, built once, into a fresh XDP frame per run from a page pool, and what the
 * program returns really happens. It redirects every frame out of the far end of a veth pair;
 * veth hands it to the peer, the device under test, as an XDP frame, the way a frame arrives
 * from a NIC driver or from another device's XDP program, never as an skb. It counts its runs,
 * the frames made, which the count of the program at the hook is set against: the runs a
 * BPF_PROG_RUN call was asked for are known only when it returns, in steps of a whole call (2^18
 * frames), too coarse for a window of 0.3 s. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "hookmatrix/xdp_frames.h"

char LICENSE[] SEC("license") = "GPL";

const volatile struct hm_xdp_frames_config cfg = {};

/* Frames made so far, read by hookmatrix through the mmap-ed .bss. A plain increment: only the
 * source's one generator thread runs this program, and a BPF_PROG_RUN call keeps to one CPU. */
__u64 runs = 0;

SEC("xdp")
int push(struct xdp_md *ctx)
{
    runs++;
    if (!cfg.target_ifindex)
        return XDP_DROP;
    return bpf_redirect(cfg.target_ifindex, 0);
}
