#include "matrix/spec.h"

#include "core/atomic_file.h"

#include "matrix/devices.h"
#include "matrix/hooks.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "default_spec.h" // generated: kDefaultSpecYaml, from matrix/default-spec.yaml

namespace hm {

bool CellPattern::matches(const Cell& cell) const {
    return (hook.empty() || hook == cell.hook->name) &&
           (device.empty() || device == cell.device->name) &&
           (kernel.empty() || kernel == cell.kernel);
}

namespace {
class SpecReader {
public:
    explicit SpecReader(const std::string& source) : source_(source) {}

    std::unexpected<Error> bad(const std::string& where, const std::string& what) const {
        return fail(source_ + ": " + where + ": " + what);
    }

    Status known_keys(const YAML::Node& map, const std::string& where,
                      std::initializer_list<const char*> keys) const {
        for (const auto& kv : map) {
            const auto key = kv.first.as<std::string>();
            bool ok = false;
            for (const char* k : keys)
                ok |= key == k;
            if (!ok) {
                std::string list;
                for (const char* k : keys)
                    list += (list.empty() ? "" : ", ") + std::string(k);
                return bad(where + key, "unknown key (known: " + list + ")");
            }
        }
        return {};
    }

    // "all", a list, or absent: the axis' names ("all"/absent: none, meaning every value).
    Result<std::vector<std::string>> axis(const YAML::Node& node, const std::string& where) const {
        std::vector<std::string> out;
        if (!node || (node.IsScalar() && node.as<std::string>() == "all"))
            return out;
        if (node.IsScalar())
            return split_list(node.as<std::string>());
        if (!node.IsSequence())
            return bad(where, "expected 'all' or a list of names");
        for (const auto& item : node) {
            if (!item.IsScalar())
                return bad(where, "expected names");
            out.push_back(item.as<std::string>());
        }
        return out;
    }

    Result<std::optional<std::uint32_t>> count(const YAML::Node& node, const std::string& where,
                                               std::uint32_t max) const {
        if (!node)
            return std::optional<std::uint32_t>{};
        try {
            auto v = node.as<long long>();
            if (v < 1 || v > max)
                return bad(where, "must be a whole number from 1 to " + std::to_string(max));
            return std::optional<std::uint32_t>(static_cast<std::uint32_t>(v));
        } catch (const YAML::Exception&) {
            return bad(where, "not a whole number");
        }
    }

    Result<CellSettings> settings(const YAML::Node& map, const std::string& where) const {
        CellSettings s;
        auto p = count(map["packets"], where + "packets", kMaxPackets);
        if (!p)
            return std::unexpected(p.error());
        auto t = count(map["reply_timeout_ms"], where + "reply_timeout_ms", kMaxReplyTimeoutMs);
        if (!t)
            return std::unexpected(t.error());
        s.packets = *p;
        s.reply_timeout_ms = *t;
        return s;
    }

    Result<CellPattern> pattern(const YAML::Node& map, const std::string& where) const {
        CellPattern p;
        for (auto [key, field] : {std::pair{"hook", &p.hook}, std::pair{"device", &p.device},
                                  std::pair{"kernel", &p.kernel}})
            if (map[key]) {
                if (!map[key].IsScalar())
                    return bad(where + key, "expected a name");
                *field = map[key].as<std::string>();
            }
        if (!p.hook.empty() && !find_hook(p.hook))
            return bad(where + "hook", "unknown hook '" + p.hook + "'");
        if (!p.device.empty() && !find_device(p.device))
            return bad(where + "device", "unknown device '" + p.device + "'");
        return p;
    }

private:
    const std::string& source_;
};
} // namespace

namespace {
Result<Spec> parse_spec_text(const std::string& text, const std::string& source) {
    SpecReader rd(source);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        return rd.bad("line " + std::to_string(e.mark.line + 1),
                      "not valid YAML or JSON: " + e.msg);
    }
    if (!root.IsMap())
        return rd.bad("top level", "expected a mapping with hooks, devices, kernels, ...");
    if (auto ok = rd.known_keys(
            root, "",
            {"hooks", "devices", "kernels", "exclude", "include", "packets", "reply_timeout_ms"});
        !ok)
        return std::unexpected(ok.error());
    Spec spec;
    spec.source = source;
    for (auto [key, field] :
         {std::pair{"hooks", &spec.axes.hooks}, std::pair{"devices", &spec.axes.devices},
          std::pair{"kernels", &spec.axes.kernels}}) {
        auto names = rd.axis(root[key], key);
        if (!names)
            return std::unexpected(names.error());
        *field = std::move(*names);
    }
    auto defaults = rd.settings(root, "");
    if (!defaults)
        return std::unexpected(defaults.error());
    spec.defaults = *defaults;
    for (const char* list : {"exclude", "include"}) {
        const YAML::Node node = root[list];
        if (!node)
            continue;
        if (!node.IsSequence())
            return rd.bad(list, "expected a list of {hook, device, kernel, ...} entries");
        for (std::size_t i = 0; i < node.size(); ++i) {
            const std::string where = std::string(list) + "[" + std::to_string(i) + "].";
            if (!node[i].IsMap())
                return rd.bad(where, "expected a mapping");
            const bool include = std::string(list) == "include";
            auto keys =
                include ? rd.known_keys(node[i], where,
                                        {"hook", "device", "kernel", "packets", "reply_timeout_ms"})
                        : rd.known_keys(node[i], where, {"hook", "device", "kernel"});
            if (!keys)
                return std::unexpected(keys.error());
            auto p = rd.pattern(node[i], where);
            if (!p)
                return std::unexpected(p.error());
            if (!include) {
                spec.exclude.push_back(*p);
                continue;
            }
            auto s = rd.settings(node[i], where);
            if (!s)
                return std::unexpected(s.error());
            spec.include.push_back({*p, *s});
        }
    }
    // Names are checked here too, so a typo is reported against the file, not the run.
    if (auto plan = enumerate(spec.axes); !plan)
        return rd.bad("axes", plan.error().what);
    return spec;
}

} // namespace

Result<Spec> parse_spec(const std::string& text, const std::string& source) {
    // A node of another shape than the reader asks for (a list where a name goes: `{[a]: 1}`)
    // throws from yaml-cpp's conversions; it is the file's fault, said as such.
    try {
        return parse_spec_text(text, source);
    } catch (const YAML::Exception& e) {
        return fail(source + ": line " + std::to_string(e.mark.line + 1) +
                    ": not what a spec holds there: " + e.msg);
    }
}

Result<Spec> load_spec_file(const std::string& path) {
    auto text = read_file(path);
    if (!text)
        return fail("spec: " + text.error().message());
    return parse_spec(*text, path);
}

const Spec& default_spec() {
    static const Spec spec = [] {
        auto s = parse_spec(kDefaultSpecYaml, "default spec (matrix/default-spec.yaml)");
        // The file is compiled in and unit-tested; a broken one is a build defect.
        if (!s)
            throw std::logic_error(s.error().message());
        return *s;
    }();
    return spec;
}

namespace {
// The spec's axis narrowed by the CLI's names; a name outside the spec's axis is an error.
Result<std::vector<std::string>> narrow_axis(const std::vector<std::string>& spec_axis,
                                             const std::vector<std::string>& narrow,
                                             const char* what, const std::string& source) {
    if (narrow.empty() || spec_axis.empty())
        return narrow.empty() ? spec_axis : narrow;
    for (const auto& n : narrow)
        if (std::ranges::find(spec_axis, n) == spec_axis.end())
            return fail(std::string(what) + " '" + n + "' is not in " + source);
    return narrow;
}
} // namespace

Result<Plan> plan_from_spec(const Spec& spec, const Selection& narrow) {
    Selection axes;
    // --kernels replaces the spec's kernel axis: one spec, run on whichever kernels are named.
    axes.kernels = narrow.kernels.empty() ? spec.axes.kernels : narrow.kernels;
    for (auto [s, n, out, what] :
         {std::tuple{&spec.axes.hooks, &narrow.hooks, &axes.hooks, "hook"},
          std::tuple{&spec.axes.devices, &narrow.devices, &axes.devices, "device"}}) {
        auto a = narrow_axis(*s, *n, what, spec.source);
        if (!a)
            return std::unexpected(a.error());
        *out = std::move(*a);
    }
    auto plan = enumerate(axes);
    if (!plan)
        return plan;
    // exclude removes matching cells; include adds a full combination the axes lack (unless
    // narrowed away) and sets values on every cell it matches, as CI matrices do.
    std::vector<Cell> kept;
    for (Cell& c : plan->cells) {
        bool dropped = false;
        for (const auto& x : spec.exclude)
            dropped |= x.matches(c);
        if (dropped)
            plan->excluded.push_back({c, "excluded by " + spec.source});
        else
            kept.push_back(c);
    }
    plan->cells = std::move(kept);
    for (const auto& inc : spec.include) {
        const CellPattern& m = inc.match;
        const bool complete = !m.hook.empty() && !m.device.empty();
        const bool matched =
            std::ranges::any_of(plan->cells, [&](const Cell& c) { return m.matches(c); });
        if (complete && !matched) {
            auto added =
                enumerate({.hooks = {m.hook},
                           .devices = {m.device},
                           .kernels = m.kernel.empty() ? axes.kernels : std::vector{m.kernel}});
            if (!added)
                return std::unexpected(added.error());
            auto in_narrow = [](const std::vector<std::string>& axis, const std::string& v) {
                return axis.empty() || std::ranges::find(axis, v) != axis.end();
            };
            if (in_narrow(narrow.hooks, m.hook) && in_narrow(narrow.devices, m.device)) {
                for (auto& c : added->cells)
                    plan->cells.push_back(c);
                for (auto& x : added->excluded)
                    plan->excluded.push_back(x);
            }
        }
        for (Cell& c : plan->cells)
            if (m.matches(c)) {
                if (inc.settings.packets)
                    c.settings.packets = inc.settings.packets;
                if (inc.settings.reply_timeout_ms)
                    c.settings.reply_timeout_ms = inc.settings.reply_timeout_ms;
            }
    }
    // What neither an include entry nor the spec sets, the defaults of matrix/cell.h do.
    for (Cell& c : plan->cells) {
        if (!c.settings.packets)
            c.settings.packets = spec.defaults.packets.value_or(kDefaultPackets);
        if (!c.settings.reply_timeout_ms)
            c.settings.reply_timeout_ms =
                spec.defaults.reply_timeout_ms.value_or(kDefaultReplyTimeoutMs);
    }
    return plan;
}

} // namespace hm
