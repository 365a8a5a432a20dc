#include "cli/stop_signals.h"

#include <csignal>

namespace hm::cli {

namespace {
std::atomic<bool> stop_requested{false};

void request_stop(int) {
    stop_requested = true;
}
} // namespace

const std::atomic<bool>& stop_on_signals() {
    struct sigaction sa {};
    sa.sa_handler = request_stop;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    return stop_requested;
}

} // namespace hm::cli
