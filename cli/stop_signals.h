#pragma once
// SIGINT and SIGTERM, for every subcommand. By default (end_on_signals(), installed before any
// subcommand runs) a signal ends the process at once with 128 + the signal's number, after
// removing the temporaries of file writes in progress: short commands (diff, merge, report) have
// nothing worth finishing, and everything else they hold the kernel releases with the process
// (children die with it, PR_SET_PDEATHSIG in core/spawn.cpp). A long subcommand (run, bench)
// calls stop_on_signals() instead: the first signal sets the flag, which the run checks between
// steps, so what ran is still written; a second signal ends the process as above.
#include <atomic>

namespace hm::cli {

void end_on_signals();
const std::atomic<bool>& stop_on_signals();

} // namespace hm::cli
