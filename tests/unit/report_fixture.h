#pragma once
// A synthetic run for the report formats: every verdict, two kernels, a choir, and strings a
// kernel or a user could put in a reason that would break XML, HTML or a Markdown table.
#include "matrix/results/result.h"
#include "matrix/stats/stats.h"

#include <chrono>
#include <string>
#include <vector>

namespace hm::test {

// Markup, entities, quotes, a table pipe, a control byte, a line break and a byte that is not
// UTF-8.
inline const std::string kNasty = "<script>alert('x')</script> & \"q\" | a\x01"
                                  "b\n"
                                  "</details>]]>\xff *bold* [link](http://x) `code`";

inline CellResult report_cell(std::string hook, std::string device, std::string kernel, Verdict v,
                              std::string reason, std::string detail = {},
                              std::vector<std::uint64_t> samples = {}) {
    CellResult c{.hook = std::move(hook),
                 .device = std::move(device),
                 .kernel = std::move(kernel),
                 .verdict = v,
                 .reason = std::move(reason),
                 .detail = std::move(detail),
                 .packets_sent = static_cast<std::uint32_t>(samples.size()),
                 .samples_ns = std::move(samples),
                 .duration_s = 0.25};
    c.latency = summarize(c.samples_ns);
    return c;
}

inline RunResult report_run() {
    using namespace std::chrono_literals;
    RunResult r{.run = {.tool_version = "0.1.0",
                        .libbpf_version = "1.1.0",
                        .host = "host<1>",
                        .kernel_release = "6.1.0-18-amd64",
                        .command_line = "hookmatrix run --hooks '<x>' -o out&more",
                        .started = std::chrono::system_clock::time_point(1'769'860'800s),
                        .duration_s = 1.5,
                        .packets_per_cell = 4}};
    r.cells = {
        report_cell("xdpgeneric", "veth", "6.1.0-18-amd64", Verdict::Pass, "fired for all 4", {},
                    {2'400, 2'500, 2'600, 9'000}),
        report_cell("tc-ingress", "veth", "6.1.0-18-amd64", Verdict::Fail,
                    "fired for 3 of 4 packets | lost " + kNasty),
        report_cell("xdpdrv", "veth", "6.1.0-18-amd64", Verdict::Error,
                    "load probe: Permission denied", "0: (61) r2 = *(u32 *)(r1 +76)\n" + kNasty),
        report_cell("tcx-ingress", "veth", "6.1.0-18-amd64", Verdict::Unsupported,
                    "no tcx before 6.6 <" + kNasty),
        report_cell("xdpgeneric", "lo", "6.1.0-18-amd64", Verdict::Pass, "ok", {}, {1'200}),
        report_cell("xdpgeneric", "veth", "6.6.0", Verdict::Pass, "ok", {}, {3'000, 3'100}),
        report_cell("hook|" + kNasty, "veth", "6.6.0", Verdict::Pass, "ok", {}, {}),
    };
    ChoirResult choir{.device = "veth",
                      .kernel = "6.1.0-18-amd64",
                      .packets = 4,
                      .order = {"xdpgeneric", "tc-ingress"},
                      .same_order = 3,
                      .deviations = {{.seq = 2, .order = {"tc-ingress", "xdpgeneric"}}},
                      .voices = {{.hook = "xdpgeneric",
                                  .verdict = Verdict::Pass,
                                  .reason = "ok",
                                  .fired = 4,
                                  .latency = summarize(std::vector<std::uint64_t>{2'000})},
                                 {.hook = "tc-ingress",
                                  .verdict = Verdict::Fail,
                                  .reason = "fired for 3 of 4 " + kNasty,
                                  .fired = 3}},
                      .left_out = {{"tcx-ingress", "no tcx <here>"}},
                      .duration_s = 0.5};
    ChoirResult cannot{.device = "netdevsim",
                       .kernel = "6.1.0-18-amd64",
                       .reason = "no netdevsim module",
                       .unsupported = true};
    r.choirs = {choir, cannot};
    return r;
}

// A run across kernels as `run --kernels host,debian:5.10,debian:6.12,debian:6.1` writes it:
// kernel_runs and cells in the order the guests finished, the host (6.18) among them, TCG
// guests; tcx unsupported before 6.6, xdpdrv on lo lost on 6.18, netdevsim missing everywhere
// for the same reason.
inline RunResult kernels_run() {
    RunResult r = report_run();
    r.run.kernel_release = "6.18.0-hm";
    r.run.kernel_runs = {
        {.name = "host", .release = "6.18.0-hm", .how = "host"},
        {.name = "debian:6.12", .release = "6.12.57+deb13-cloud-amd64", .how = "tcg"},
        {.name = "debian:5.10", .release = "5.10.0-35-cloud-amd64", .how = "tcg"},
        {.name = "debian:6.1", .release = "6.1.0-40-cloud-amd64", .how = "tcg"}};
    r.cells.clear();
    r.choirs.clear();
    for (const auto& k : r.run.kernel_runs) {
        const bool old = k.name == "debian:5.10" || k.name == "debian:6.1";
        const std::uint64_t ns = k.how == "tcg" ? 13'600 : 2'800;
        r.cells.push_back(report_cell("tc-ingress", "veth", k.release, Verdict::Pass, "ok", {},
                                      {ns, ns}));
        r.cells.push_back(report_cell("tcx-ingress", "veth", k.release,
                                      old ? Verdict::Unsupported : Verdict::Pass,
                                      old ? "no tcx before 6.6" : "ok", {},
                                      old ? std::vector<std::uint64_t>{}
                                          : std::vector<std::uint64_t>{ns}));
        r.cells.push_back(report_cell("xdpdrv", "lo", k.release,
                                      k.how == "host" ? Verdict::Fail : Verdict::Pass,
                                      k.how == "host" ? "fired for 0 of 2" : "ok", {},
                                      k.how == "host" ? std::vector<std::uint64_t>{}
                                                      : std::vector<std::uint64_t>{ns}));
        r.cells.push_back(report_cell("xdpdrv", "netdevsim", k.release, Verdict::Unsupported,
                                      "kernel has no netdevsim"));
        r.choirs.push_back(ChoirResult{.device = "veth",
                                       .kernel = k.release,
                                       .packets = 2,
                                       .order = {"tc-ingress"},
                                       .same_order = 2});
    }
    return r;
}

} // namespace hm::test
