#include "core/thread_cpu.h"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>

namespace hm {

Result<std::uint64_t> thread_cpu_ns(pthread_t thread) {
    clockid_t clock{};
    if (int e = ::pthread_getcpuclockid(thread, &clock); e != 0)
        return fail("get the CPU clock of the generator thread", e);
    timespec ts{};
    if (::clock_gettime(clock, &ts) != 0)
        return fail("read the CPU clock of the generator thread", errno);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
           static_cast<std::uint64_t>(ts.tv_nsec);
}

namespace {
// ksoftirqd/N is a kernel thread made at boot; it keeps its pid.
Result<int> ksoftirqd_pid(int cpu) {
    static std::mutex lock;
    static std::map<int, int> known;
    std::lock_guard guard(lock);
    if (auto it = known.find(cpu); it != known.end())
        return it->second;
    const std::string name = "ksoftirqd/" + std::to_string(cpu);
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string pid = entry.path().filename().string();
        if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::ifstream comm(entry.path() / "comm");
        std::string line;
        if (std::getline(comm, line) && line == name) {
            known[cpu] = std::stoi(pid);
            return known[cpu];
        }
    }
    return fail("find " + name + " in /proc", ENOENT);
}
} // namespace

Result<std::uint64_t> ksoftirqd_cpu_ns(int cpu) {
    auto pid = ksoftirqd_pid(cpu);
    if (!pid)
        return std::unexpected(pid.error());
    const std::string path = "/proc/" + std::to_string(*pid) + "/schedstat";
    std::ifstream in(path);
    std::uint64_t ns = 0;
    if (!(in >> ns))
        return fail("read " + path, errno ? errno : EIO);
    return ns;
}

} // namespace hm
