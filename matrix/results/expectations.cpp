#include "matrix/results/expectations.h"

#include "core/atomic_file.h"

#include "matrix/devices.h"
#include "matrix/hooks.h"

#include <yaml-cpp/yaml.h>

#include <fnmatch.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace hm {

namespace {
constexpr const char* kKeys[] = {"hook", "device", "kernel", "verdict", "reason"};

bool glob(const std::string& pattern, const std::string& s) {
    return pattern.empty() || ::fnmatch(pattern.c_str(), s.c_str(), 0) == 0;
}

// The way spec files report mistakes (matrix/spec.cpp): "SOURCE: WHERE: WHAT", with the line,
// since a list's index is easy to miscount by hand.
class ExpectReader {
public:
    explicit ExpectReader(const std::string& source) : source_(source) {}

    std::unexpected<Error> bad(const std::string& where, const YAML::Node& at,
                               const std::string& what) const {
        const auto line = at.Mark().line;
        return fail(source_ + ": " + where +
                    (line >= 0 ? " (line " + std::to_string(line + 1) + ")" : std::string()) +
                    ": " + what);
    }

    Result<ExpectEntry> entry(const YAML::Node& node, const std::string& where) const {
        if (!node.IsMap())
            return bad(where, node, "expected a mapping of hook, device, kernel, verdict, reason");
        for (const auto& kv : node) {
            const std::string key = kv.first.IsScalar() ? kv.first.as<std::string>() : "?";
            if (std::ranges::find(kKeys, key) == std::end(kKeys))
                return bad(where + "." + key, kv.first,
                           "unknown key (known: hook, device, kernel, verdict, reason)");
        }
        ExpectEntry e;
        for (auto [key, field] : {std::pair{"hook", &e.hook}, std::pair{"device", &e.device},
                                  std::pair{"kernel", &e.kernel}}) {
            const YAML::Node v = node[key];
            if (!v)
                continue;
            if (!v.IsScalar() || v.as<std::string>().empty())
                return bad(where + "." + key, v,
                           "expected a name or a pattern such as 'tc-*' (leave the key out to "
                           "match any)");
            *field = v.as<std::string>();
        }
        if (!e.hook.empty() && std::ranges::none_of(all_hooks(), [&](const HookSpec& h) {
                return glob(e.hook, std::string(h.name));
            }))
            return bad(where + ".hook", node["hook"],
                       "'" + e.hook + "' matches no hook ('hookmatrix list' shows them)");
        if (!e.device.empty() && std::ranges::none_of(all_devices(), [&](const DeviceSpec& d) {
                return glob(e.device, std::string(d.name));
            }))
            return bad(where + ".device", node["device"],
                       "'" + e.device + "' matches no device ('hookmatrix list' shows them)");
        auto verdict = this->verdict(node["verdict"], where + ".verdict", node);
        if (!verdict)
            return std::unexpected(verdict.error());
        e.expected.verdict = *verdict;
        const YAML::Node reason = node["reason"];
        if (!reason)
            return bad(where + ".reason", node,
                       "missing: say why this outcome is expected, or link the issue");
        if (!reason.IsScalar() || reason.as<std::string>().empty())
            return bad(where + ".reason", reason, "expected a line of text, or a link");
        e.expected.reason = reason.as<std::string>();
        return e;
    }

private:
    Result<Verdict> verdict(const YAML::Node& v, const std::string& where,
                            const YAML::Node& entry) const {
        if (!v)
            return bad(where, entry, "missing: one of fail, error, unsupported, attached");
        const auto word = v.IsScalar() ? parse_verdict(v.as<std::string>()) : std::nullopt;
        if (!word)
            return bad(where, v, "expected one of fail, error, unsupported, attached");
        if (*word == Verdict::Pass)
            return bad(where, v,
                       "'pass' cannot be expected: a passing cell needs no entry (expect "
                       "fail, error, unsupported or attached)");
        return *word;
    }

    const std::string& source_;
};
} // namespace

const ExpectEntry* Expectations::match(const CellResult& cell,
                                       std::span<const KernelRun> kernels) const {
    auto kernel_matches = [&](const std::string& pattern) {
        if (glob(pattern, cell.kernel))
            return true;
        return std::ranges::any_of(kernels, [&](const KernelRun& k) {
            return !k.name.empty() && k.release == cell.kernel && glob(pattern, k.name);
        });
    };
    for (const ExpectEntry& e : entries)
        if (glob(e.hook, cell.hook) && glob(e.device, cell.device) && kernel_matches(e.kernel))
            return &e;
    return nullptr;
}

Result<Expectations> parse_expectations(const std::string& text, const std::string& source) {
    ExpectReader rd(source);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        return fail(source + ": line " + std::to_string(e.mark.line + 1) +
                    ": not valid YAML or JSON: " + e.msg);
    }
    Expectations out{.source = source};
    // An empty file expects nothing, like an empty list.
    if (root.IsNull())
        return out;
    if (!root.IsSequence())
        return rd.bad("top level", root,
                      "expected a list of {hook, device, kernel, verdict, reason} entries");
    try {
        for (std::size_t i = 0; i < root.size(); ++i) {
            auto e = rd.entry(root[i], "[" + std::to_string(i) + "]");
            if (!e)
                return std::unexpected(e.error());
            out.entries.push_back(std::move(*e));
        }
    } catch (const YAML::Exception& e) {
        return fail(source + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    return out;
}

Result<Expectations> load_expectations(const std::string& path) {
    auto text = read_file(path);
    if (!text)
        return std::unexpected(text.error());
    return parse_expectations(*text, path);
}

void mark_expected(CellResult& cell, const Expectations& expect,
                   std::span<const KernelRun> kernels) {
    const ExpectEntry* e = expect.match(cell, kernels);
    cell.expected = e ? std::optional(e->expected) : std::nullopt;
}

void mark_expected(RunResult& run, const Expectations& expect) {
    for (CellResult& c : run.cells)
        mark_expected(c, expect, run.run.kernel_runs);
}

std::string_view to_string(CellResult::Expected::Outcome o) {
    switch (o) {
    case CellResult::Expected::Outcome::Met: return "met";
    case CellResult::Expected::Outcome::Fixed: return "fixed";
    case CellResult::Expected::Outcome::Unmet: return "unmet";
    }
    return "unmet";
}

std::string expectation_label(const CellResult& cell) {
    const auto o = cell.expected_outcome();
    if (o == CellResult::Expected::Outcome::Met)
        return "expected " + std::string(to_string(cell.verdict));
    if (o == CellResult::Expected::Outcome::Fixed)
        return "fixed, remove the expectation";
    return {};
}

std::vector<std::string> fixed_lines(std::span<const CellResult> cells) {
    std::vector<std::string> out;
    for (const CellResult& c : cells)
        if (c.expected_outcome() == CellResult::Expected::Outcome::Fixed)
            out.push_back("fixed, remove the expectation: " + c.hook + " " + c.device + " " +
                          c.kernel + " passes; expected " +
                          std::string(to_string(c.expected->verdict)) + ": " + c.expected->reason);
    return out;
}

} // namespace hm
