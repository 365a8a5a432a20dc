#include "cli/commands.h"

#include "matrix/devices.h"
#include "matrix/hooks.h"
#include "matrix/spec.h"

#ifndef HOOKMATRIX_VERSION
#define HOOKMATRIX_VERSION "0.0.0"
#endif

namespace hm::cli {

std::string tool_version() { return HOOKMATRIX_VERSION; }

namespace {
template <class Specs> std::string names(const Specs& specs) {
    std::string out;
    for (const auto& s : specs)
        out += (out.empty() ? "" : ",") + std::string(s.name);
    return out;
}
// An empty list given on purpose (`--hooks ""`, an unset shell variable) is a mistake, not "all":
// leaving the option out is how to ask for all.
CLI::Validator not_empty(const std::string& what) {
    return CLI::Validator(
        [what](std::string& value) {
            return split_list(value).empty()
                       ? "empty: name at least one of the " + what + ", or leave the option out "
                                                                     "for all of them"
                       : std::string();
        },
        "", "not empty");
}
} // namespace

void add_selection_options(CLI::App& sub, SelectionOptions& opts) {
    sub.add_option("--spec", opts.spec,
                   "a matrix spec file (YAML or JSON; docs/spec.md); default: the built-in "
                   "matrix/default-spec.yaml")
        ->type_name("FILE");
    sub.add_option("--hooks", opts.hooks,
                   "comma-separated hooks (default: all): " + names(all_hooks()))
        ->type_name("H,...")
        ->check(not_empty("hooks"));
    sub.add_option("--devices", opts.devices,
                   "comma-separated devices (default: all): " + names(all_devices()))
        ->type_name("D,...")
        ->check(not_empty("devices"));
    sub.add_option("--kernels", opts.kernels,
                   "comma-separated kernels to run the matrix on (default: the spec's, host): "
                   "host (the running kernel), debian:SERIES (Debian's cloud kernel, e.g. "
                   "debian:6.12, fetched into the kernel cache on first use; 'hookmatrix kernels "
                   "list' shows the series), debian:sid and debian:experimental (or debian:rc: "
                   "the newest kernel of that suite, fetched again when it has a newer one), "
                   "built:netdevsim or built:netdevsim-SERIES ('hookmatrix kernels build'), or a "
                   "path to a bzImage. Kernels other than host run in qemu guests")
        ->type_name("K,...")
        ->check(not_empty("kernels"));
}

Result<Plan> plan_cells(const SelectionOptions& opts) {
    Spec spec;
    if (opts.spec.empty()) {
        spec = default_spec();
    } else {
        auto loaded = load_spec_file(opts.spec);
        if (!loaded)
            return std::unexpected(loaded.error());
        spec = std::move(*loaded);
    }
    return plan_from_spec(spec, {.hooks = split_list(opts.hooks),
                                 .devices = split_list(opts.devices),
                                 .kernels = split_list(opts.kernels)});
}

} // namespace hm::cli
