/* The Hello-World of the classic walk-through, made slower on purpose by a known time: it spins
 * for DELAY_NS nanoseconds (bpf_ktime_get_ns, the clock its trace line is stamped with) before
 * its bpf_trace_printk line, so a cell judged by that line (`run --object HOOK=this.o --trace`)
 * reads DELAY_NS later than with DELAY_NS=0. ci/operating-characteristics.py builds it with the
 * delays it needs (+10, +20, +50% of the cell's median) to count how often `diff` sees them. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifndef DELAY_NS
#define DELAY_NS 0
#endif

SEC("hello")
int _hello(void *ctx)
{
    char fmt[] = "Hello, World!\n";
    if (DELAY_NS > 0) {
        const __u64 start = bpf_ktime_get_ns();
        /* Bounded for the verifier: 4096 clock reads are far more than any delay here needs. */
        for (int i = 0; i < 4096; i++)
            if (bpf_ktime_get_ns() - start >= DELAY_NS)
                break;
    }
    bpf_trace_printk(fmt, sizeof(fmt));
    return 0;
}

char _license[] SEC("license") = "Dual MIT/GPL";
