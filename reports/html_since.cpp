#include "reports/html_since.h"

#include "matrix/compare/support_since.h"
#include "matrix/results/kernel_axis.h"
#include "reports/escape.h"
#include "reports/since_report.h"

#include <fmt/format.h>

#include <algorithm>

namespace hm {

namespace {
std::string esc(std::string_view s) { return xml_escape(s); }
std::string attr(std::string_view s) { return xml_escape(s, true); }

std::string device_table(const std::string& device, const std::vector<SupportRow>& rows,
                         const KernelAxis& axis) {
    std::string out = fmt::format("<table class=\"since\" data-device=\"{}\">\n<thead><tr>"
                                  "<th class=\"hook\">hook</th>",
                                  attr(device));
    for (const auto& k : axis.kernels())
        out += fmt::format("<th{}>{}</th>", k.emulated() ? " class=\"emulated\"" : "",
                           esc(k.label()));
    out += "<th>since</th></tr></thead>\n<tbody>\n";
    for (const auto& row : rows) {
        if (row.device != device)
            continue;
        out += "<tr><th class=\"hook\">" + esc(row.hook) + "</th>";
        for (const auto& k : axis.kernels()) {
            auto it = std::ranges::find(row.kernels, k.key, &SupportRow::OnKernel::kernel);
            if (it == row.kernels.end()) {
                out += "<td class=\"absent\" title=\"not in this run\"></td>";
                continue;
            }
            const std::string v(to_string(it->verdict));
            out += fmt::format("<td class=\"{}\" title=\"{}: {}\">{}</td>", v, attr(v),
                               attr(it->reason), since_symbol(it->verdict));
        }
        out += fmt::format("<td class=\"since{}\">{}</td></tr>\n",
                           row.regressed() ? " lost" : "", esc(since_text(row, axis)));
    }
    return out + "</tbody>\n</table>\n";
}
} // namespace

std::string html_since_section(const RunResult& result) {
    const KernelAxis axis(result);
    if (axis.kernels().size() < 2)
        return {};
    const auto rows = support_since(result, axis);
    const auto devices = support_devices(rows);
    const auto lost = std::ranges::count_if(rows, &SupportRow::regressed);
    std::string out = fmt::format(
        "<section id=\"since\">\n<h2>Since which kernel</h2>\n<p class=\"note\">Per hook: the "
        "first kernel of this run where it works (pass, or attached), the last before it where "
        "it did not, and any later kernel where it no longer works: a regression in support "
        "({} in this run). Kernels in version order; the host's is marked.</p>\n"
        "<p><label for=\"since-device\">device </label><select id=\"since-device\">",
        lost);
    for (const auto& d : devices)
        out += fmt::format("<option value=\"{}\">{}</option>", attr(d), esc(d));
    out += "</select></p>\n";
    for (const auto& d : devices)
        out += device_table(d, rows, axis);
    return out + "</section>\n";
}

} // namespace hm
