#include "cli/commands.h"
#include "runners/host_runner.h"

#include <bpf/libbpf.h>
#include <unistd.h>

namespace hm::cli {

RunInfo describe_this_run(std::string command_line) {
    RunInfo info;
    info.tool_version = tool_version();
    info.libbpf_version = libbpf_version_string();
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    info.host = host;
    info.kernel_release = running_kernel_release();
    info.command_line = std::move(command_line);
    info.started = std::chrono::system_clock::now();
    return info;
}

} // namespace hm::cli
