#include "runners/kernels/kconfig_fragment.h"

#include "netdevsim_config.h"

#include <fstream>
#include <map>
#include <sstream>

namespace hm {

std::string_view netdevsim_config_fragment() {
    return kNetdevsimConfig;
}

std::vector<KconfigOption> parse_kconfig(std::string_view text) {
    std::vector<KconfigOption> out;
    std::istringstream in{std::string(text)};
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("CONFIG_")) {
            const auto eq = line.find('=');
            if (eq != std::string::npos)
                out.push_back({line.substr(0, eq), line.substr(eq + 1)});
        } else if (line.starts_with("# CONFIG_") && line.ends_with(" is not set")) {
            out.push_back(
                {line.substr(2, line.size() - 2 - std::string_view(" is not set").size()), "n"});
        }
    }
    return out;
}

namespace {
// Why an option of the fragment tends not to survive olddefconfig, beyond its Kconfig
// dependencies (which the fragment itself lists).
const std::map<std::string, std::string, std::less<>>& drop_hints() {
    static const std::map<std::string, std::string, std::less<>> hints{
        {"CONFIG_DEBUG_INFO_BTF", "needs pahole 1.16 or newer in PATH when the kernel is "
                                  "configured (Debian: dwarves)"},
        {"CONFIG_BPF_JIT", "needs an architecture with an eBPF JIT (x86_64)"},
        {"CONFIG_64BIT", "the build must run on x86_64"},
    };
    return hints;
}
} // namespace

std::vector<std::string> dropped_options(std::string_view fragment, std::string_view config) {
    std::map<std::string, std::string> now;
    for (auto& o : parse_kconfig(config))
        now[o.name] = o.value;
    std::vector<std::string> dropped;
    for (const auto& want : parse_kconfig(fragment)) {
        auto it = now.find(want.name);
        const std::string got = it == now.end() ? "n" : it->second;
        if (got == want.value)
            continue;
        std::string line =
            want.name + "=" + want.value + " became " + (got == "n" ? std::string("not set") : got);
        if (auto h = drop_hints().find(want.name); h != drop_hints().end())
            line += ": " + h->second;
        dropped.push_back(std::move(line));
    }
    return dropped;
}

std::vector<std::string> dropped_options(std::string_view fragment, std::string_view config,
                                         const std::set<std::string>& defined) {
    std::string asked;
    for (const auto& o : parse_kconfig(fragment))
        if (defined.contains(o.name))
            asked += o.name + "=" + o.value + "\n";
    return dropped_options(asked, config);
}

std::vector<std::string> undefined_options(std::string_view fragment,
                                           const std::set<std::string>& defined) {
    std::vector<std::string> out;
    for (const auto& o : parse_kconfig(fragment))
        if (!defined.contains(o.name))
            out.push_back(o.name);
    return out;
}

std::set<std::string> kconfig_symbols(const std::filesystem::path& source) {
    std::set<std::string> out;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(source, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file() || !it->path().filename().string().starts_with("Kconfig"))
            continue;
        std::ifstream in(it->path());
        for (std::string line; std::getline(in, line);) {
            const auto first = line.find_first_not_of(" \t");
            if (first == std::string::npos)
                continue;
            std::string_view l = std::string_view(line).substr(first);
            for (std::string_view kw : {"config ", "menuconfig "})
                if (l.starts_with(kw)) {
                    std::string_view name = l.substr(kw.size());
                    name = name.substr(0, name.find_first_of(" \t#"));
                    if (!name.empty())
                        out.insert("CONFIG_" + std::string(name));
                }
        }
    }
    return out;
}

} // namespace hm
