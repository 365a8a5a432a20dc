/* The classic walk-through's Hello-World program, as its readers wrote it: a non-standard section
 * name, built with clang -emit-llvm | llc, no BTF. hookmatrix must load and attach it as it is.
 * HELLO_XDP selects the XDP return value (XDP_PASS); 0 suits the other hooks it is meant for.
 * HELLO_SLOW makes it slower on purpose, for the test that `hookmatrix diff` sees a regression. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifdef HELLO_XDP
#define RET XDP_PASS
#else
#define RET 0
#endif

SEC("hello")
int _hello(void *ctx)
{
    char fmt[] = "Hello, World!\n";
#ifdef HELLO_SLOW
    /* Tens of microseconds of work before the line, whose time is the hook's time in --trace:
     * several times the run-to-run noise of a shared VM. */
    volatile __u32 sink = 0;
    for (int i = 0; i < 4000; i++)
        sink += bpf_get_prandom_u32();
#endif
    bpf_trace_printk(fmt, sizeof(fmt));
    return RET;
}

char _license[] SEC("license") = "Dual MIT/GPL";
