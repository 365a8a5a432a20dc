#include "live_frames.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <thread>

namespace hm::test {

namespace {
// Sets the calling thread's namespace's lo up; false when it cannot.
bool loopback_up() {
    const int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return false;
    ifreq lo{};
    std::strcpy(lo.ifr_name, "lo");
    bool up = ::ioctl(sock, SIOCGIFFLAGS, &lo) == 0;
    if (up) {
        lo.ifr_flags |= IFF_UP;
        up = ::ioctl(sock, SIOCSIFFLAGS, &lo) == 0;
    }
    ::close(sock);
    return up;
}
} // namespace

int live_frames_errno() {
    int out = -1;
    // unshare() moves only the calling thread; the namespace goes when the thread ends.
    std::thread([&] {
        if (::unshare(CLONE_NEWNET) != 0)
            return;
        // lo up, unlike hookmatrix's probe: a refusal that only its down lo caused shows here.
        if (!loopback_up())
            return;
        const bpf_insn insns[] = {
            {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_DROP},
            {.code = BPF_JMP | BPF_EXIT},
        };
        const int prog = bpf_prog_load(BPF_PROG_TYPE_XDP, "hm_test_live", "GPL", insns,
                                       std::size(insns), nullptr);
        if (prog < 0)
            return;
        std::uint8_t frame[64] = {};
        frame[12] = 0x08;
        LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = sizeof frame,
                    .repeat = 1, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
        out = bpf_prog_test_run_opts(prog, &opts) == 0 ? 0 : errno;
        ::close(prog);
    }).join();
    return out;
}

} // namespace hm::test
