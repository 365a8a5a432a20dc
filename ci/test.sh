#!/usr/bin/env bash
# README command 2 (and all of .ci/run): install, build, and run the whole test suite through
# ctest: unit tests, integration tests on the running kernel (root), and the benchmarks in smoke
# mode. With CI=true a missing prerequisite fails a test instead of skipping it.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
ci/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --timeout 600
