#include "cli/commands.h"
#include "cli/exit.h"
#include "matrix/features.h"
#include "runners/host_runner.h"
#include "matrix/results/results_json.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <iostream>

namespace hm::cli {

Action add_probe_command(CLI::App& sub) {
    auto json_out = std::make_shared<bool>(false);
    sub.add_flag("-j,--json", *json_out, "print JSON instead of a table");
    sub.footer("The same probe decides a run's 'unsupported' verdicts: what it reports as\n"
               "supported is attempted, and an attach the kernel then refuses is reported too.");
    return [json_out](const std::string&) {
        if (::geteuid() != 0)
            std::cerr << "hookmatrix probe: not root; BPF program loads will be refused, so "
                         "hooks may read as unsupported\n";
        auto features = running_kernel_features();
        nlohmann::ordered_json doc{{"kernel", running_kernel_release()}};
        auto hooks = nlohmann::ordered_json::array();
        auto devices = nlohmann::ordered_json::array();
        for (const HookSpec& h : all_hooks()) {
            Support s = features->hook(h);
            hooks.push_back({{"name", h.name}, {"supported", s.supported}, {"reason", s.reason}});
        }
        for (const DeviceSpec& d : all_devices()) {
            Support s = features->device(d);
            devices.push_back({{"name", d.name}, {"supported", s.supported}, {"reason", s.reason}});
        }
        doc["hooks"] = std::move(hooks);
        doc["devices"] = std::move(devices);
        if (*json_out) {
            std::cout << json_text(doc) << "\n";
            return exit_code::ok;
        }
        std::cout << "kernel " << doc["kernel"].get<std::string>() << "\n";
        for (const char* group : {"hooks", "devices"}) {
            std::cout << "\n" << group << ":\n";
            for (const auto& row : doc[group])
                std::cout << fmt::format("  {:<20} {:<12} {}\n", row["name"].get<std::string>(),
                                         row["supported"].get<bool>() ? "supported" : "unsupported",
                                         row["reason"].get<std::string>());
        }
        return exit_code::ok;
    };
}

} // namespace hm::cli
