#include "matrix/results/history_files.h"

#include "core/atomic_file.h"
#include "matrix/results/results_json.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace hm {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view kFiledPrefix = "hookmatrix-";

// Every results file the folder holds: its *.json files and its sub-folders' results.json.
Result<std::vector<fs::path>> history_files(const fs::path& dir) {
    std::error_code ec;
    std::vector<fs::path> out;
    // The first night of a nightly that files into the folder it reads: nothing there yet.
    if (!fs::exists(dir, ec))
        return out;
    if (!fs::is_directory(dir, ec))
        return fail("--history " + dir.string() + " is not a directory");
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.is_regular_file(ec) && e.path().extension() == ".json")
            out.push_back(e.path());
        else if (e.is_directory(ec) && fs::is_regular_file(e.path() / "results.json", ec))
            out.push_back(e.path() / "results.json");
    }
    if (ec)
        return fail("--history: read the folder " + dir.string(), ec.value());
    return out;
}

bool same_run(const RunResult& a, const RunResult& b) {
    return a.run.started == b.run.started && a.run.host == b.run.host &&
           a.run.duration_s == b.run.duration_s && a.run.command_line == b.run.command_line;
}

// A name that sorts by start time and says where the run came from.
std::string filed_name(const RunResult& run) {
    std::string host;
    for (char c : run.run.host)
        host += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
    return fmt::format("{}{:%Y%m%dT%H%M%SZ}-{}.json", kFiledPrefix,
                       fmt::gmtime(std::chrono::system_clock::to_time_t(run.run.started)),
                       host.empty() ? "host" : host);
}
} // namespace

Result<std::vector<SavedRun>> load_history(const fs::path& dir, std::size_t nights,
                                           const RunResult* tonight) {
    auto files = history_files(dir);
    if (!files)
        return std::unexpected(files.error());
    std::vector<SavedRun> runs;
    for (const fs::path& f : *files) {
        auto run = read_results_file(f.string());
        if (!run)
            return fail("--history: " + run.error().message());
        if (tonight && (run->run.started > tonight->run.started || same_run(*run, *tonight)))
            continue;
        runs.push_back({f.string(), std::move(*run)});
    }
    std::ranges::sort(runs, [](const SavedRun& a, const SavedRun& b) {
        return std::tie(a.run.run.started, a.path) < std::tie(b.run.run.started, b.path);
    });
    if (runs.size() > nights)
        runs.erase(runs.begin(), runs.end() - static_cast<std::ptrdiff_t>(nights));
    return runs;
}

Result<std::string> add_to_history(const fs::path& dir, const RunResult& run, std::size_t keep) {
    if (auto made = make_output_dir(dir.string()); !made)
        return std::unexpected(made.error());
    // Two runs that started in the same second (a quick matrix) both keep a name of their own.
    const std::string first = filed_name(run);
    std::string name = first;
    std::error_code ec;
    for (int n = 2; fs::exists(dir / name, ec); ++n)
        name = first.substr(0, first.size() - 5) + "-" + std::to_string(n) + ".json";
    const fs::path path = dir / name;
    if (auto s = write_file_atomically(path.string(), json_text(to_json(run)) + "\n"); !s)
        return std::unexpected(s.error());
    // Only what hookmatrix filed is pruned: the names sort by start time.
    std::vector<fs::path> filed;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file(ec) && name.starts_with(kFiledPrefix) && name.ends_with(".json"))
            filed.push_back(e.path());
    }
    std::ranges::sort(filed);
    for (std::size_t i = 0; i + keep < filed.size(); ++i)
        fs::remove(filed[i], ec);
    return path.string();
}

} // namespace hm
