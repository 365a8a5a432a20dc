#pragma once
// The kconfig fragment a netdevsim kernel is built with (runners/kernels/netdevsim.config), and
// the check that `make olddefconfig` kept every option of it.
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hm {

// runners/kernels/netdevsim.config, carried in the binary.
std::string_view netdevsim_config_fragment();

// One assignment of a kconfig file: "CONFIG_TUN" = "y"; "# CONFIG_X is not set" reads as "n".
struct KconfigOption {
    std::string name;
    std::string value;
};
std::vector<KconfigOption> parse_kconfig(std::string_view text);

// The fragment's options that the final .config does not hold as the fragment asks, each with
// what it became and, where known, why: olddefconfig silently drops an option whose dependencies
// are not met ("CONFIG_DEBUG_INFO_BTF=y became not set: needs pahole 1.16+ ..."). Empty: all
// survived.
std::vector<std::string> dropped_options(std::string_view fragment, std::string_view config);
// The same, leaving out the options `defined` lacks: a source that does not define an option
// cannot be asked for it (7.2 needs CONFIG_NETFILTER_XTABLES_LEGACY, 6.12 has no such symbol).
std::vector<std::string> dropped_options(std::string_view fragment, std::string_view config,
                                         const std::set<std::string>& defined);
// The fragment's options `defined` lacks ("CONFIG_NETFILTER_XTABLES_LEGACY").
std::vector<std::string> undefined_options(std::string_view fragment,
                                           const std::set<std::string>& defined);

// The symbols a source tree's Kconfig files define, as CONFIG_ names ("config NETDEVSIM" ->
// "CONFIG_NETDEVSIM").
std::set<std::string> kconfig_symbols(const std::filesystem::path& source);

} // namespace hm
