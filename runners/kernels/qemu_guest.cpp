#include "runners/kernels/qemu_guest.h"

#include "core/atomic_file.h"
#include "core/cpio_writer.h"
#include "core/spawn.h"
#include "core/unique_fd.h"
#include "runners/kernels/guest_image.h"

#include <fcntl.h>

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>

namespace hm {

namespace fs = std::filesystem;

std::string_view to_string(Accel a) {
    return a == Accel::Kvm ? "kvm" : "tcg";
}

namespace {
// A serial file qemu never wrote reads as empty: the guest said nothing there.
std::string read_all(const fs::path& p) {
    return read_file(p.string()).value_or("");
}

// A guest whose /init says it is up and reboots: enough to see whether KVM guests run here.
Status write_probe_initramfs(const fs::path& out) {
    auto cpio = CpioWriter::create(out.string());
    if (!cpio)
        return std::unexpected(cpio.error());
    auto busybox = find_program("busybox");
    if (!busybox)
        return std::unexpected(busybox.error());
    for (auto s : {cpio->add_host_file("bin/busybox", *busybox, 0755),
                   cpio->add_symlink("bin/sh", "busybox"),
                   cpio->add_file("init",
                                  fmt::format("#!/bin/busybox sh\n/bin/busybox echo {}\n"
                                              "/bin/busybox reboot -f\n",
                                              kGuestUp),
                                  0755)})
        if (!s)
            return s;
    return cpio->finish();
}
} // namespace

std::string console_tail(const std::string& console, std::size_t lines) {
    std::string text = console;
    std::erase(text, '\r');
    // The start of the `lines`-th line from the end; a final newline ends the last line.
    std::size_t end = text.size();
    if (end > 0 && text[end - 1] == '\n')
        --end;
    std::size_t start = end;
    for (; lines > 0; --lines) {
        const auto nl = start == 0 ? std::string::npos : text.rfind('\n', start - 1);
        if (nl == std::string::npos)
            return text;
        start = nl;
    }
    return text.substr(start + 1);
}

namespace {
// "[    2.097355] Oops: ..." -> "Oops: ..."; a line without a timestamp as it is.
std::string_view without_timestamp(std::string_view line) {
    if (line.starts_with('[')) {
        const auto close = line.find("] ");
        if (close != std::string_view::npos)
            line.remove_prefix(close + 2);
    }
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.remove_suffix(1);
    return line;
}
} // namespace

std::string panic_summary(const std::string& console) {
    std::string_view text = console, fault, where, panic;
    while (!text.empty() && panic.empty()) {
        const auto nl = text.find('\n');
        const std::string_view line = without_timestamp(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (fault.empty() && (line.starts_with("Oops: ") || line.starts_with("BUG: ") ||
                              line.starts_with("kernel BUG at ")))
            fault = line.substr(0, line.find(" [#"));
        else if (!fault.empty() && where.empty() && line.starts_with("RIP: 0010:"))
            where = line.substr(std::string_view("RIP: 0010:").size());
        else if (const auto at = line.find("Kernel panic - "); at != std::string_view::npos)
            panic = line.substr(at); // also when another line's start ran into it
    }
    if (panic.empty())
        return {};
    std::string out;
    if (!fault.empty())
        out = fmt::format("{}{}{}; ", fault, where.empty() ? "" : " at ", where);
    return out + std::string(panic);
}

Result<GuestBoot> boot_guest(const KernelImage& kernel, const fs::path& initramfs,
                             const GuestMachine& machine, const fs::path& scratch) {
    auto qemu = find_program("qemu-system-x86_64");
    if (!qemu)
        return fail("qemu-system-x86_64 is needed for kernels other than the host's "
                    "(apt-get install qemu-system-x86)",
                    ENOENT);
    const fs::path console = scratch / "console.log", port = scratch / "results.port";
    // TCG runs its vCPUs in one thread, not one each: with a thread each, a vCPU can still run
    // code the other has just patched (a static key flipped by int3 patching, which every boot
    // does when it marks sched_clock stable), and on a busy host the guest dies of "Oops: int3"
    // (seen here in 2 of 205 boots under load, in CI twice in one run; docs/kernels.md).
    std::vector<std::string> argv{
        *qemu, "-machine", "q35", "-accel",
        machine.accel == Accel::Kvm ? "kvm" : "tcg,thread=single", "-m",
        std::to_string(machine.memory_mb), "-smp", std::to_string(machine.cpus),
        // No network device, display or other default hardware: the matrix makes its own.
        "-nodefaults", "-display", "none", "-no-reboot", "-kernel", kernel.vmlinuz.string(),
        "-initrd", initramfs.string(), "-append", "console=ttyS0 panic=-1 quiet loglevel=3",
        "-serial", "file:" + console.string(), "-serial", "file:" + port.string()};
    const auto t0 = std::chrono::steady_clock::now();
    auto r = spawn(argv, SpawnOptions{.timeout = machine.timeout, .stop = machine.stop});
    GuestBoot boot;
    boot.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r) {
        if (r.error().err != ETIMEDOUT)
            return std::unexpected(r.error());
        boot.timed_out = true;
    } else if (r->exit_code != 0) {
        return fail(fmt::format("qemu exited with {}", r->exit_code), 0,
                    r->err.empty() ? r->out : r->err);
    }
    boot.console = read_all(console);
    boot.port = read_all(port);
    return boot;
}

namespace {
// "RELEASE kvm|tcg WHY" on one line.
std::optional<AccelChoice> remembered(const fs::path& file, const std::string& release) {
    std::error_code ec;
    if (file.empty() || !fs::exists(file, ec) ||
        fs::file_time_type::clock::now() - fs::last_write_time(file, ec) > std::chrono::hours(24))
        return std::nullopt;
    std::ifstream in(file);
    std::string r, accel, why;
    if (!(in >> r >> accel) || r != release || (accel != "kvm" && accel != "tcg"))
        return std::nullopt;
    std::getline(in, why);
    return AccelChoice{accel == "kvm" ? Accel::Kvm : Accel::Tcg,
                       "remembered from an earlier probe:" + why};
}

std::string running_release() {
    std::ifstream in("/proc/sys/kernel/osrelease");
    std::string r;
    std::getline(in, r);
    return r;
}
} // namespace

Result<AccelChoice> choose_accel(const std::string& wanted, const KernelImage& kernel,
                                 const fs::path& scratch, const fs::path& remember) {
    if (wanted == "tcg")
        return AccelChoice{Accel::Tcg, "--accel tcg"};
    if (wanted != "auto" && wanted != "kvm")
        return fail("--accel " + wanted + ": expected auto, kvm or tcg");
    UniqueFd kvm(::open("/dev/kvm", O_RDWR | O_CLOEXEC));
    if (!kvm.valid()) {
        const int err = errno;
        if (wanted == "kvm")
            return fail("--accel kvm: cannot open /dev/kvm", err);
        return AccelChoice{Accel::Tcg,
                           "no usable /dev/kvm (" + std::string(std::strerror(err)) + ")"};
    }
    if (wanted == "kvm")
        return AccelChoice{Accel::Kvm, "--accel kvm"};
    static std::mutex lock;
    static std::optional<AccelChoice> known;
    std::lock_guard g(lock);
    if (known)
        return *known;
    const std::string release = running_release();
    if ((known = remembered(remember, release)))
        return *known;
    const fs::path initramfs = scratch / "kvm-probe.cpio";
    if (auto s = write_probe_initramfs(initramfs); !s)
        return std::unexpected(s.error());
    auto boot = boot_guest(
        kernel, initramfs,
        {.accel = Accel::Kvm, .cpus = 1, .memory_mb = 256, .timeout = std::chrono::seconds(30)},
        scratch);
    if (boot && !boot->timed_out && boot->console.find(kGuestUp) != std::string::npos)
        known = AccelChoice{Accel::Kvm,
                            fmt::format("a KVM probe guest booted in {:.1f} s", boot->wall_s)};
    else
        known =
            AccelChoice{Accel::Tcg, boot ? "a KVM probe guest did not boot within 30 s"
                                         : "a KVM probe guest failed: " + boot.error().message()};
    if (!remember.empty()) {
        std::error_code ec;
        fs::create_directories(remember.parent_path(), ec);
        std::ofstream(remember) << release << " " << to_string(known->accel) << " " << known->why
                                << "\n";
    }
    return *known;
}

} // namespace hm
