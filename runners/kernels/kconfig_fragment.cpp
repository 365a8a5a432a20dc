#include "runners/kernels/kconfig_fragment.h"

#include "netdevsim_config.h"

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

} // namespace hm
