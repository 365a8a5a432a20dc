// The bytes qemu saved from a guest's results port, as the host searches them for the framed
// results.
#include "bad_input.h"
#include "runners/kernels/guest_results.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string received(reinterpret_cast<const char*>(data), size);
    hm::fuzz::as_the_cli_would([&] { (void)hm::find_framed(received); });
    return 0;
}
