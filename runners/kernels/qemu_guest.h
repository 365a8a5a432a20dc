#pragma once
// One qemu-system-x86_64 guest: a kernel, an initramfs, two serial ports saved to files (the
// console, and the results port), no network device, no display. It ends by itself (the guest
// reboots and -no-reboot makes that an exit), or is killed at its timeout, or with hookmatrix.
#include "core/error.h"
#include "runners/kernels/kernel_cache.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>

namespace hm {

enum class Accel { Tcg, Kvm };
std::string_view to_string(Accel a);

struct AccelChoice {
    Accel accel = Accel::Tcg;
    std::string why; // "no /dev/kvm", "a KVM guest booted in 1.2 s", ...
};

// `wanted`: "auto", "kvm" or "tcg". auto uses KVM only where a guest really boots with it: on
// some machines /dev/kvm exists but guests hang, and the probe then costs 30 s. The answer is
// kept for the process's life and, for a day, in `remember` (a file; empty: nowhere), keyed by
// the running kernel's release.
Result<AccelChoice> choose_accel(const std::string& wanted, const KernelImage& kernel,
                                 const std::filesystem::path& scratch,
                                 const std::filesystem::path& remember = {});

struct GuestBoot {
    std::string console; // what the guest printed on ttyS0
    std::string port;    // what it wrote to ttyS1
    double wall_s = 0;
    bool timed_out = false;
};

struct GuestMachine {
    Accel accel = Accel::Tcg;
    unsigned cpus = 2;
    unsigned memory_mb = 1024;
    std::chrono::seconds timeout{600};
    // The run's stop flag: when it turns true, qemu is killed and boot_guest fails (EINTR).
    const std::atomic<bool>* stop = nullptr;
};

// Boots and waits for the end. `scratch` receives the serial files.
Result<GuestBoot> boot_guest(const KernelImage& kernel, const std::filesystem::path& initramfs,
                             const GuestMachine& machine, const std::filesystem::path& scratch);

// The last `lines` lines of a console, for error reports.
std::string console_tail(const std::string& console, std::size_t lines = 40);

// When the console shows the kernel died: its first words about it, without timestamps, e.g.
// "Oops: int3 at sched_clock_idle_wakeup_event+0x5/0x40; Kernel panic - not syncing: Fatal
// exception in interrupt". Empty when it did not.
std::string panic_summary(const std::string& console);

} // namespace hm
