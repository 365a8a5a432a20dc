#include "cli/commands.h"
#include "cli/exit.h"
#include "matrix/enumerate.h"

#include <iostream>

namespace hm::cli {

Action add_list_command(CLI::App& sub) {
    auto opts = std::make_shared<SelectionOptions>();
    add_selection_options(sub, *opts);
    sub.footer("Output: one cell per line, 'HOOK DEVICE KERNEL'; pairs the matrix rules leave out\n"
               "follow as comment lines, '# excluded HOOK DEVICE KERNEL: REASON'.");
    return [opts](const std::string&) {
        auto plan = plan_cells(*opts);
        if (!plan) {
            return complain("list", plan.error().message(), exit_code::usage);
        }
        for (const Cell& c : plan->cells)
            std::cout << c.hook->name << " " << c.device->name << " " << c.kernel << "\n";
        for (const auto& x : plan->excluded)
            std::cout << "# excluded " << x.cell.hook->name << " " << x.cell.device->name << " "
                      << x.cell.kernel << ": " << x.reason << "\n";
        return exit_code::ok;
    };
}

} // namespace hm::cli
