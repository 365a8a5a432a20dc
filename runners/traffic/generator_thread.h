#pragma once
// The one generator thread of a traffic source: pinned to one CPU (the receive path and the hook
// then run on it too, on veth and lo), calling the source's send until stopped, held to a rate
// when asked (runners/traffic/pacer.h), and counting the frames handed to the kernel; and
// GeneratedSource, the TrafficSource made of one.
#include "core/error.h"
#include "runners/traffic/traffic_source.h"

#include <pthread.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

namespace hm {

class GeneratorThread {
public:
    explicit GeneratorThread(std::optional<double> max_pps) : max_pps_(max_pps) {}
    GeneratorThread(const GeneratorThread&) = delete;
    ~GeneratorThread() { stop(); }

    // Starts the thread: it pins itself to `cpu` and runs `body`, which sets up what the thread
    // needs and calls pump().
    void start(int cpu, std::function<void(GeneratorThread&)> body);
    void stop();
    std::uint64_t sent() const { return sent_.load(std::memory_order_relaxed); }
    // The thread's CPU time so far (core/thread_cpu.h); an Error when it is not running.
    Result<std::uint64_t> cpu_ns() const;
    int error() const { return error_.load(); } // the errno that stopped the thread; 0: none

    // On the thread: calls `send` until stop() (each call sends up to `batch` frames and returns
    // how many, or -errno; -EINTR, -ENOBUFS and -EAGAIN are tried again, any other stops it).
    void pump(std::uint64_t batch, const std::function<long()>& send);
    // On the thread: stop with this errno.
    void stop_with(int err) { error_ = err; }

private:
    std::optional<double> max_pps_;
    std::atomic<std::uint64_t> sent_{0};
    std::atomic<int> error_{0};
    std::stop_token stop_; // the thread's, set on it before `body` runs
    std::optional<pthread_t> handle_;
    std::jthread thread_;
};

// A traffic source whose frames one GeneratorThread makes: the source says what its thread runs
// (run(), which calls pump()) and what fails when it fails. Its destructor must call stop(), since
// the thread uses its members.
class GeneratedSource : public TrafficSource {
public:
    Status start(int cpu) final;
    void stop() final { generator_.stop(); }
    // The frames the thread's calls handed to the kernel, counted as each call returns; a source
    // that can count mid-call says so.
    std::uint64_t sent() const override { return generator_.sent(); }
    Result<std::uint64_t> cpu_ns() const final { return generator_.cpu_ns(); }
    // The errno that stopped the thread, after what_failed(); empty while there is none.
    std::string error() const final;

protected:
    explicit GeneratedSource(const SourceOptions& options)
        : options_(options), generator_(options.max_pps) {}
    virtual void run(GeneratorThread& thread) = 0;
    virtual std::string what_failed() const = 0; // "send frames"
    const SourceOptions& options() const { return options_; }

private:
    SourceOptions options_;
    GeneratorThread generator_;
};

} // namespace hm
