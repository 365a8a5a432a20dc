/* The ABI of the bench counter (bpf/throughput_counter.bpf.c) shared with hookmatrix bench. */
#ifndef HOOKMATRIX_THROUGHPUT_H
#define HOOKMATRIX_THROUGHPUT_H

#include <linux/types.h>

/* Set in .rodata before load. */
struct hm_throughput_config {
    __u32 action; /* the hook's return value for every packet: its drop or its pass action */
};

#endif
