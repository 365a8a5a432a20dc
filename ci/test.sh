#!/usr/bin/env bash
# README command 2 (and all of .ci/run): install, build, and run the whole test suite through
# ctest: unit tests, integration tests on the running kernel (root), and the benchmarks in smoke
# mode; then each fuzz harness for a minute (ci/fuzz.sh); then the suite again, built with ASan and
# UBSan (ci/sanitize.sh). With CI=true a missing prerequisite fails a test instead of skipping it.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
ci/build.sh
# built-kernel: the built:netdevsim guest, which needs `hookmatrix kernels build` first (about 30
# minutes); run it with `ctest --test-dir build -L built-kernel` (docs/kernels.md).
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --timeout 600 -LE built-kernel
ci/fuzz.sh
ci/sanitize.sh
