#!/usr/bin/env bash
# The test suite under AddressSanitizer and UndefinedBehaviorSanitizer (-DHOOKMATRIX_SANITIZE=ON):
# unit tests, and integration tests on the running kernel with a sanitized hookmatrix binary. A
# report of either sanitizer ends the process that made it, so the test fails. Guests are left
# out: their initramfs carries the binary without the sanitizers' runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SANITIZE_BUILD_DIR:-build-sanitize}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOOKMATRIX_SANITIZE=ON \
  -DHOOKMATRIX_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target hookmatrix hookmatrix_unit_tests \
  hookmatrix_integration_tests hookmatrix_test_objects
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ctest --test-dir "$build" --output-on-failure --timeout 600 -LE built-kernel \
  -E 'Guest|WithAGuest|AcrossKernels|layering\.'
