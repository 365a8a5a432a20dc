#!/usr/bin/env bash
# The test suite under AddressSanitizer and UndefinedBehaviorSanitizer (-DHOOKMATRIX_SANITIZE=ON),
# the last step of ci/test.sh: unit tests, and integration tests on the running kernel with a
# sanitized hookmatrix binary. A report of either sanitizer ends the process that made it, so the
# test fails.
# Built at -O0 with line tables only (-g1): the same build at -O2 -g took 34 minutes here, this one
# a fraction of it, and ASan misses nothing at -O0 that it would see optimised.
# Guests included: they boot the sanitized binary too (its libasan comes along by ldd), and the
# eight guest-booting tests took about 3 minutes of it here. Left out: the layering checks (they
# compile headers; nothing of them runs).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SANITIZE_BUILD_DIR:-build-sanitize}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" \
  -DCMAKE_C_FLAGS_DEBUG="-O0 -g1" -DHOOKMATRIX_SANITIZE=ON -DHOOKMATRIX_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target hookmatrix hookmatrix_unit_tests \
  hookmatrix_integration_tests hookmatrix_test_objects
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ctest --test-dir "$build" --output-on-failure --timeout 600 -LE built-kernel \
  -E '^layering\.'
