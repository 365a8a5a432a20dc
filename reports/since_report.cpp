#include "reports/since_report.h"

#include "matrix/compare/support_since.h"
#include "matrix/results/kernel_axis.h"
#include "reports/escape.h"

#include <fmt/format.h>

#include <algorithm>

namespace hm {

namespace {
constexpr std::string_view kIntro =
    "Per hook and device: the first kernel of this run where it works (pass, or attached: the "
    "kernel took the program), the last before it where it did not, and any later kernel where "
    "it no longer works, which is a regression in support. Kernels in version order.";

std::string_view ascii_symbol(Verdict v) {
    switch (v) {
    case Verdict::Pass: return "ok";
    case Verdict::Fail: return "FAIL";
    case Verdict::Unsupported: return "-";
    case Verdict::Error: return "err";
    case Verdict::Attached: return "att";
    }
    return "?";
}

// The verdict of `row` on `kernel`, or none when the pair did not run there.
const SupportRow::OnKernel* on(const SupportRow& row, const std::string& kernel) {
    auto it = std::ranges::find(row.kernels, kernel, &SupportRow::OnKernel::kernel);
    return it == row.kernels.end() ? nullptr : &*it;
}
} // namespace

std::string_view since_symbol(Verdict v) {
    switch (v) {
    case Verdict::Pass: return "✅";
    case Verdict::Fail: return "❌";
    case Verdict::Unsupported: return "➖";
    case Verdict::Error: return "⚠️";
    case Verdict::Attached: return "🔗";
    }
    return "?";
}

std::string since_markdown(const RunResult& result) {
    const KernelAxis axis(result);
    if (axis.kernels().size() < 2)
        return {};
    const auto rows = support_since(result, axis);
    std::string out = "\n## Since which kernel\n\n" + std::string(kIntro) + "\n";
    for (const auto& device : support_devices(rows)) {
        out += "\n### " + markdown_escape(device) + "\n\n| hook |";
        std::string rule = "| --- |";
        for (const auto& k : axis.kernels()) {
            out += " " + markdown_escape(k.label()) + " |";
            rule += " :-: |";
        }
        out += " since |\n" + rule + " --- |\n";
        for (const auto& row : rows) {
            if (row.device != device)
                continue;
            out += "| " + markdown_escape(row.hook) + " |";
            for (const auto& k : axis.kernels()) {
                const auto* v = on(row, k.key);
                out += " " + std::string(v ? since_symbol(v->verdict) : "") + " |";
            }
            const std::string text = markdown_escape(since_text(row, axis));
            out += " " + (row.regressed() ? "**" + text + "**" : text) + " |\n";
        }
    }
    return out;
}

std::string since_text(const RunResult& result) {
    const KernelAxis axis(result);
    if (axis.kernels().size() < 2)
        return fmt::format("since: the results hold {} kernel; a since view needs two or more "
                           "(run --kernels host,debian:6.1,...)\n",
                           axis.kernels().size());
    const auto rows = support_since(result, axis);
    std::string out = "Kernels, in version order:\n";
    for (std::size_t i = 0; i < axis.kernels().size(); ++i)
        out += fmt::format("  K{} {}\n", i + 1, terminal_text(axis.kernels()[i].label()));
    std::size_t width = 4;
    for (const auto& row : rows)
        width = std::max(width, row.hook.size());
    std::size_t regressions = 0;
    for (const auto& device : support_devices(rows)) {
        out += fmt::format("\n{}\n  {:<{}}", terminal_text(device), "hook", width);
        for (std::size_t i = 0; i < axis.kernels().size(); ++i)
            out += fmt::format(" {:<4}", fmt::format("K{}", i + 1));
        out += " since\n";
        for (const auto& row : rows) {
            if (row.device != device)
                continue;
            out += fmt::format("  {:<{}}", terminal_text(row.hook), width);
            for (const auto& k : axis.kernels()) {
                const auto* v = on(row, k.key);
                out += fmt::format(" {:<4}", v ? ascii_symbol(v->verdict) : "");
            }
            out += " " + terminal_text(since_text(row, axis)) + "\n";
            regressions += row.regressed();
        }
    }
    out += fmt::format("\nok pass, att attached, FAIL fail, - unsupported, err error (says "
                       "nothing of support), blank: not run. {} regression{} in support.\n",
                       regressions, regressions == 1 ? "" : "s");
    return out;
}

} // namespace hm
