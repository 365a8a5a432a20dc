/* Runs at the hook and prints nothing: --trace must not call that a pass. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("silent")
int stay_quiet(void *ctx)
{
    return 0;
}

char _license[] SEC("license") = "GPL";
