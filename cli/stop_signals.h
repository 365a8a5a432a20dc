#pragma once
// SIGINT and SIGTERM ask a long subcommand to stop: the first one sets the flag, which runs check
// between steps, so what ran is still written; the handler is then reset, so a second signal
// kills at once, which is safe too: the kernel removes namespaces and programs with the process.
#include <atomic>

namespace hm::cli {

const std::atomic<bool>& stop_on_signals();

} // namespace hm::cli
