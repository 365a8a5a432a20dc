#pragma once
// The BPF uapi that hookmatrix uses but the build machine's headers may predate (Debian 12 ships
// linux-libc-dev 6.1 and libbpf 1.1.2), and the one BPF_LINK_CREATE call libbpf 1.1.2 cannot
// make: it has no fields for link_create.netfilter or link_create.tcx.
//
// The numbers are kernel ABI and never change once released. When the headers are new enough
// they win: each constant is taken from them, and ours are used only below that header version.
// Whether the *running* kernel has any of this is decided by trying (matrix/features.cpp, the
// attachers), never by these version checks.
#include <linux/bpf.h>
#include <linux/version.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

namespace hm::compat {

// Netfilter programs and links: Linux 6.4, commit 84601d6ee68a ("bpf: add bpf_link support for
// BPF_NETFILTER programs"); BPF_NETFILTER as the attach type the kernel requires as the program's
// expected_attach_type came with 132328e8e85d in the same release.
// Program types are held as numbers (HookSpec::prog_type): 32 is no value of libbpf 1.1's enum,
// and holding it in that enum is undefined behaviour (UBSan: "not a valid value").
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
inline constexpr std::uint32_t kProgTypeNetfilter = BPF_PROG_TYPE_NETFILTER;
inline constexpr bpf_attach_type kAttachNetfilter = BPF_NETFILTER;
#else
inline constexpr std::uint32_t kProgTypeNetfilter = 32;
inline constexpr auto kAttachNetfilter = static_cast<bpf_attach_type>(45);
#endif

// tcx, the fd-based multi-program tc hook: Linux 6.6, commit e420bed02507 ("bpf: Add fd-based
// tcx multi-prog infra with link support").
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
inline constexpr bpf_attach_type kAttachTcxIngress = BPF_TCX_INGRESS;
inline constexpr bpf_attach_type kAttachTcxEgress = BPF_TCX_EGRESS;
inline constexpr int kTcxNext = TCX_NEXT;
#else
inline constexpr auto kAttachTcxIngress = static_cast<bpf_attach_type>(46);
inline constexpr auto kAttachTcxEgress = static_cast<bpf_attach_type>(47);
inline constexpr int kTcxNext = -1; // enum tcx_action_base: hand on to the next program
#endif

// The link_create member of union bpf_attr as of Linux 6.6, only as far as hookmatrix fills it.
// The kernel accepts a shorter attr and treats everything past its end as zero.
struct LinkCreateAttr {
    std::uint32_t prog_fd = 0;
    std::uint32_t target = 0; // target_fd or target_ifindex
    std::uint32_t attach_type = 0;
    std::uint32_t flags = 0;
    struct Netfilter {
        std::uint32_t pf;
        std::uint32_t hooknum;
        std::int32_t priority;
        std::uint32_t flags;
    };
    struct Tcx {
        std::uint32_t relative_fd_or_id;
        std::uint32_t pad;
        std::uint64_t expected_revision;
    };
    union {
        Netfilter netfilter;
        Tcx tcx{};
    };
};
static_assert(offsetof(LinkCreateAttr, netfilter) == 16 && offsetof(LinkCreateAttr, tcx) == 16);
static_assert(sizeof(LinkCreateAttr) == 32);

// BPF_LINK_CREATE; the new link's descriptor, or -1 with errno set.
inline int link_create(const LinkCreateAttr& attr) {
    LinkCreateAttr a = attr; // the syscall takes a non-const pointer
    return static_cast<int>(::syscall(__NR_bpf, BPF_LINK_CREATE, &a, sizeof a));
}

} // namespace hm::compat
