#!/usr/bin/env bash
# CI step (the build job): packs the built hookmatrix binary into TARBALL for the other jobs.
# A tarball because workflow artifacts do not keep the executable bit.
#   ci/pack-build.sh TARBALL
set -euo pipefail
if (($# != 1)); then
  echo "usage: ci/pack-build.sh TARBALL" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
tar -C "$root" -czf "$1" build/hookmatrix
