#include "reports/json_reporter.h"

#include "matrix/results/results_json.h"
#include "reports/file_reporter.h"

namespace hm {

std::unique_ptr<Reporter> make_json_reporter(std::string path) {
    return make_file_reporter(std::move(path), [](const RunResult& r, const BaselineComparison*) {
        return json_text(to_json(r)) + "\n";
    });
}

} // namespace hm
