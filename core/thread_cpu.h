#pragma once
// CPU time spent by one thread of this process, and by the kernel's softirq thread of one CPU, in
// nanoseconds. bench charges a packet's cost with them rather than with the CPU's busy time from
// /proc/stat, which also counts whatever else the machine ran on that CPU (builds on a shared
// machine): softirq work a thread raises (veth's delivery, NAPI, the hook) runs at its
// local_bh_enable() in its own context, so it is in the thread's time, and what the kernel defers
// is in ksoftirqd's. This holds without CONFIG_IRQ_TIME_ACCOUNTING (this machine's 6.18 kernel);
// with it, softirq time is taken out of every task's time, and these figures miss what the thread's
// softirqs cost, so they read low.
#include "core/error.h"

#include <pthread.h>

#include <cstdint>

namespace hm {

// The thread's CPU time so far (CLOCK_THREAD_CPUTIME_ID of a live thread).
Result<std::uint64_t> thread_cpu_ns(pthread_t thread);

// ksoftirqd/<cpu>'s CPU time so far (/proc/PID/schedstat, first field); its pid is looked up once.
Result<std::uint64_t> ksoftirqd_cpu_ns(int cpu);

} // namespace hm
