#pragma once
// Known outcomes (`--expect FILE` on run, diff, merge and report): a list of entries, each a hook,
// device and kernel pattern with the verdict expected of the cells it matches and why. A nightly
// matrix across kernels has cells that fail for a known reason on one kernel; marked, they keep
// the exit code 0 and read "expected fail", and one that starts passing says "fixed, remove the
// expectation" instead of going unnoticed. Pure: the text in, marks on cells out.
#include "core/error.h"
#include "matrix/results/result.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hm {

struct ExpectEntry {
    // fnmatch(3) patterns; empty matches anything. `kernel` matches a cell's release
    // (6.1.0-18-amd64) or the name the run gave that kernel on its axis (debian:6.1, host).
    std::string hook, device, kernel;
    CellResult::Expected expected;
};

struct Expectations {
    std::string source; // the file, for messages
    std::vector<ExpectEntry> entries;

    // The first entry that matches the cell, or nullptr. `kernels`: the run's kernel_runs, which
    // map a release to the name the run gave it.
    const ExpectEntry* match(const CellResult& cell, std::span<const KernelRun> kernels) const;
};

// Errors name the source and the entry's key, as spec files do: "known.yaml: [2].verdict (line
// 9): 'pass' cannot be expected ...". Every entry needs a verdict (fail, error, unsupported or
// attached) and a reason; a hook or device pattern must match something in the catalogues.
Result<Expectations> parse_expectations(const std::string& text, const std::string& source);
Result<Expectations> load_expectations(const std::string& path);

// Marks the cell with the first matching entry's expectation, or clears its mark.
void mark_expected(CellResult& cell, const Expectations& expect,
                   std::span<const KernelRun> kernels);
// Every cell of a run read from a file: the file's own marks give way to `expect`'s.
void mark_expected(RunResult& run, const Expectations& expect);

std::string_view to_string(CellResult::Expected::Outcome o); // "met", "fixed", "unmet"

// For people: "expected fail" for a met expectation; "fixed, remove the expectation" for a cell
// that passes where another verdict was expected; empty otherwise.
std::string expectation_label(const CellResult& cell);

// One line per cell that passes where another verdict was expected, for the closing lines of run
// and merge: "fixed, remove the expectation: tc-ingress veth 6.1.0-18-amd64 passes; expected
// fail: REASON".
std::vector<std::string> fixed_lines(std::span<const CellResult> cells);

} // namespace hm
