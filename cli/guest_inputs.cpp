#include "cli/commands.h"
#include "runners/attach/iptables_program.h"
#include "runners/kernels/guest_results.h"

#include <cstdlib>

namespace hm::cli {

Status check_run_environment(const std::string& results_port) {
    if (!results_port.empty())
        if (auto port = results_port_device(results_port); !port)
            return std::unexpected(port.error());
    // A root process runs it: refused now rather than as every xt_bpf cell's error.
    if (const char* iptables = std::getenv(kIptablesVariable))
        return check_iptables_program(iptables);
    return {};
}

} // namespace hm::cli
