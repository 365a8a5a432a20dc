// A spec file (YAML or JSON), as `run --spec` reads it, then planned.
#include "bad_input.h"
#include "matrix/spec.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    hm::fuzz::as_the_cli_would([&] {
        if (auto spec = hm::parse_spec(text, "fuzz.yaml"))
            (void)hm::plan_from_spec(*spec);
    });
    return 0;
}
