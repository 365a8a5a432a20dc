// Google Benchmark's main, plus --hm_fail_on_error: in CI smoke mode a benchmark that reports an
// error (SkipWithError) must fail the run instead of printing a line nobody reads.
#include "core/mount_ns.h"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <vector>

namespace {
class ErrorCounter final : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const auto& r : runs)
            errors += r.error_occurred ? 1 : 0;
        ConsoleReporter::ReportRuns(runs);
    }
    int errors = 0;
};
} // namespace

int main(int argc, char** argv) {
    // As hookmatrix itself does, before any thread exists: the xt_bpf cells and the classic
    // recipe pin programs and mount namespaces' names only in a mount namespace of their own.
    if (::geteuid() == 0)
        if (auto s = hm::enter_private_mounts(); !s)
            std::fprintf(stderr, "hookmatrix_bench: %s\n", s.error().message().c_str());
    bool fail_on_error = false;
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--hm_fail_on_error") == 0)
            fail_on_error = true;
        else
            args.push_back(argv[i]);
    }
    int n = static_cast<int>(args.size());
    benchmark::Initialize(&n, args.data());
    if (benchmark::ReportUnrecognizedArguments(n, args.data()))
        return 2;
    ErrorCounter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return fail_on_error && reporter.errors ? 1 : 0;
}
