#include "runners/xdp_bench.h"

#include "core/spawn.h"
#include "core/trace_printk_event.h"
#include "runners/topology/gro.h"
#include "runners/topology/topology.h"

#include <fmt/format.h>

#include <unistd.h>

#include <regex>
#include <sstream>

namespace hm {

std::optional<double> parse_xdp_bench_rate(const std::string& output) {
    static const std::regex summary(R"(Summary\s+([0-9][0-9,]*)\s+rx/s)");
    std::vector<double> rates;
    for (std::sregex_iterator it(output.begin(), output.end(), summary), end; it != end; ++it) {
        std::string digits;
        for (char c : (*it)[1].str())
            if (c != ',')
                digits += c;
        rates.push_back(std::stod(digits));
    }
    if (rates.empty())
        return std::nullopt;
    // The first interval includes the attach; drop it when there are others.
    if (rates.size() > 2)
        rates.erase(rates.begin());
    return median(rates);
}

namespace {
// One `xdp-bench drop -m MODE dut` on a fresh veth topology under load. The tool runs until
// SIGINT, so coreutils timeout(1) sends one after the measured time.
Result<double> xdp_bench_once(const std::string& program, const std::string& mode,
                              SourceKind source, const ThroughputOptions& options) {
    auto topo = build_veth_topology();
    if (!topo)
        return std::unexpected(topo.error());
    const Endpoint& near = (*topo)->near();
    // As in the cells: skb mode sees the XDP-frame source's frames only with NAPI on the device.
    if (source == SourceKind::Xdp)
        if (auto s = enable_gro(near); !s)
            return std::unexpected(s.error());
    auto traffic = open_source(source, (*topo)->far(), near, {.max_pps = options.source_max_pps});
    if (!traffic)
        return std::unexpected(traffic.error());
    if (auto s = (*traffic)->start(options.generator_cpu); !s)
        return std::unexpected(s.error());
    const auto seconds =
        std::max<long>(3, static_cast<long>((options.window * options.windows).count() / 1000) + 1);
    const std::vector<std::string> argv{"timeout", "-s",   "INT", std::to_string(seconds),
                                        program,   "drop", "-i",  "1",
                                        "-m",      mode,   near.ifname};
    Result<SpawnResult> out = [&]() -> Result<SpawnResult> {
        // The child inherits this thread's namespace: xdp-bench sees only the cell's devices.
        auto scope = NetnsScope::enter(near.ns);
        if (!scope)
            return std::unexpected(scope.error());
        return spawn(argv, std::chrono::seconds(seconds + 10));
    }();
    (*traffic)->stop();
    if (!out)
        return std::unexpected(out.error());
    if (auto rate = parse_xdp_bench_rate(out->out))
        return *rate;
    std::string text = out->err + out->out;
    std::string why = fmt::format("{} drop -m {} exited with {} and printed no rate", program,
                                  mode, out->exit_code);
    if (text.find("xdp_redirect_map") != std::string::npos)
        why += "; it needs the xdp_redirect_map tracepoints, which this kernel lacks (a known "
               "limit of xdp-tools 1.3.1)";
    // The tool's own last words say the rest.
    std::istringstream lines(text);
    std::string line, last;
    while (std::getline(lines, line))
        if (line.find_first_not_of(" \t") != std::string::npos &&
            line.find("libbpf:") == std::string::npos)
            last = line;
    if (!last.empty())
        why += " (\"" + last + "\")";
    return fail(why);
}
} // namespace

void cross_check_with_xdp_bench(ThroughputRatio& ratio, SourceKind source,
                                const ThroughputOptions& options, const std::string& program) {
    const std::string name = program.empty() ? "xdp-bench" : program;
    auto found = find_program(name);
    if (!found || ::access(found->c_str(), X_OK) != 0) {
        ratio.xdp_bench_note = program.empty() ? "xdp-bench is not installed (Debian package "
                                                 "xdp-tools, or --xdp-bench PATH): no cross-check"
                                               : name + " is not an executable: no cross-check";
        return;
    }
    if (!find_program("timeout")) {
        ratio.xdp_bench_note = "timeout(1) is missing, which stops xdp-bench: no cross-check";
        return;
    }
    // xdp-tools' programs call bpf_trace_printk, so loading them switches the host's
    // bpf_trace_printk event on: put it back as it was.
    auto printk_event = TracePrintkEventState::save();
    if (!printk_event) {
        ratio.xdp_bench_note = printk_event.error().message() + ": no cross-check";
        return;
    }
    auto native = xdp_bench_once(*found, "native", source, options);
    if (!native) {
        ratio.xdp_bench_note = native.error().message();
        return;
    }
    auto skb = xdp_bench_once(*found, "skb", source, options);
    if (!skb) {
        ratio.xdp_bench_note = skb.error().message();
        return;
    }
    ratio.xdp_bench_native_pps = *native;
    ratio.xdp_bench_skb_pps = *skb;
    if (*skb > 0)
        ratio.xdp_bench = *native / *skb;
    else
        ratio.xdp_bench_note = "xdp-bench counted no packet in skb mode";
}

} // namespace hm
