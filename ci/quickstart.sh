#!/usr/bin/env bash
# README command 1: install, build, and run the default matrix on the running kernel.
# Prints a line per cell and a summary table; writes hookmatrix-out/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
ci/build.sh
exec build/hookmatrix run -o "${HOOKMATRIX_OUT:-hookmatrix-out}" "$@"
