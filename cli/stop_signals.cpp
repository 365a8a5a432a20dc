#include "cli/stop_signals.h"

#include "core/atomic_file.h"

#include <csignal>

#include <unistd.h>

namespace hm::cli {

namespace {
std::atomic<bool> stop_requested{false};

void end_now(int sig) {
    remove_temporaries_now();
    ::_exit(128 + sig);
}

void request_stop(int sig) {
    if (stop_requested.exchange(true))
        end_now(sig);
}

void install(void (*handler)(int)) {
    struct sigaction sa {};
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
}
} // namespace

void end_on_signals() {
    install(end_now);
}

const std::atomic<bool>& stop_on_signals() {
    install(request_stop);
    return stop_requested;
}

} // namespace hm::cli
