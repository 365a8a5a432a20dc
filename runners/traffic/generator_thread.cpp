#include "runners/traffic/generator_thread.h"

#include "core/thread_cpu.h"
#include "runners/traffic/pacer.h"

#include <sched.h>

#include <cerrno>
#include <cstring>

namespace hm {

void GeneratorThread::start(int cpu, std::function<void(GeneratorThread&)> body) {
    thread_ = std::jthread([this, cpu, body = std::move(body)](std::stop_token st) {
        stop_ = st;
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (::sched_setaffinity(0, sizeof set, &set) != 0)
            return stop_with(errno);
        body(*this);
    });
    handle_ = thread_.native_handle();
}

void GeneratorThread::stop() {
    if (thread_.joinable()) {
        thread_.request_stop();
        thread_.join();
    }
}

Result<std::uint64_t> GeneratorThread::cpu_ns() const {
    if (!handle_ || !thread_.joinable())
        return fail("read the generator's CPU time: it is not running");
    return thread_cpu_ns(*handle_);
}

void GeneratorThread::pump(std::uint64_t batch, const std::function<long()>& send) {
    Pacer pacer(max_pps_);
    while (!stop_.stop_requested()) {
        pacer.before(sent(), batch);
        const long n = send();
        if (n > 0)
            sent_.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
        else if (n < 0 && n != -EINTR && n != -ENOBUFS && n != -EAGAIN)
            return stop_with(static_cast<int>(-n));
    }
}

Status GeneratedSource::start(int cpu) {
    generator_.start(cpu, [this](GeneratorThread& thread) { run(thread); });
    return {};
}

std::string GeneratedSource::error() const {
    const int e = generator_.error();
    return e ? what_failed() + ": " + std::strerror(e) : std::string();
}

} // namespace hm
