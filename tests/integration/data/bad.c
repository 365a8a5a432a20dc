/* A program the verifier must reject: it reads far past the end of its context. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("bad")
int reject_me(struct __sk_buff *skb)
{
    return *(volatile int *)((char *)skb + 4000);
}

char _license[] SEC("license") = "GPL";
