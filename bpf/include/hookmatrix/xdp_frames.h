/* The ABI of the XDP-frame source of `hookmatrix bench` (bpf/xdp_frames.bpf.c). */
#ifndef HOOKMATRIX_XDP_FRAMES_H
#define HOOKMATRIX_XDP_FRAMES_H

#include <linux/types.h>

/* Set in .rodata before load. */
struct hm_xdp_frames_config {
    /* Where every frame goes: the ifindex of the far end of the veth pair, in the namespace the
     * BPF_PROG_RUN caller is in. 0: drop every frame at once, which measures the source alone
     * (its ceiling). */
    __u32 target_ifindex;
};

#endif
