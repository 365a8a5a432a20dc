// A line of tracefs's trace_pipe, as a --trace cell reads its program's bpf_trace_printk output.
#include "bad_input.h"
#include "core/trace_instance.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string line(reinterpret_cast<const char*>(data), size);
    hm::fuzz::as_the_cli_would([&] { (void)hm::parse_trace_line(line); });
    return 0;
}
