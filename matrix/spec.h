#pragma once
// Spec files (YAML or JSON): the matrix's axes, CI-style include/exclude lists, and per-cell
// packet counts and timeouts. Documented in docs/spec.md; the default spec is
// matrix/default-spec.yaml, compiled into the binary.
#include "core/error.h"
#include "matrix/enumerate.h"

#include <optional>
#include <string>
#include <vector>

namespace hm {

// Names one axis value each; an empty member matches anything.
struct CellPattern {
    std::string hook, device, kernel;
    bool matches(const Cell& cell) const;
};

struct SpecInclude {
    CellPattern match;
    CellSettings settings;
};

struct Spec {
    std::string source; // file name, or "default spec"
    Selection axes;     // empty axis: every value
    std::vector<CellPattern> exclude;
    std::vector<SpecInclude> include;
    CellSettings defaults;
};

// Unknown keys, wrong types and unknown names are Errors that name the source and the key.
Result<Spec> parse_spec(const std::string& text, const std::string& source);
Result<Spec> load_spec_file(const std::string& path);
const Spec& default_spec();

// The spec's cells, narrowed to `narrow` where it names hooks, devices or kernels (the CLI's
// --hooks/--devices): a narrowing value the spec does not have is an Error.
Result<Plan> plan_from_spec(const Spec& spec, const Selection& narrow = {});

} // namespace hm
