/* The ABI of the bench counter (bpf/bench_counter.bpf.c) shared with hookmatrix bench. */
#ifndef HOOKMATRIX_BENCH_H
#define HOOKMATRIX_BENCH_H

#include <linux/types.h>

/* Set in .rodata before load. */
struct hm_bench_config {
    __u32 action; /* the hook's return value for every packet: its drop or its pass action */
};

#endif
