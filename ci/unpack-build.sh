#!/usr/bin/env bash
# CI step (the shard and merge jobs): unpacks pack-build.sh's TARBALL into this checkout, so
# build/hookmatrix is where the other ci/ scripts look for it.
#   ci/unpack-build.sh TARBALL
set -euo pipefail
if (($# != 1)); then
  echo "usage: ci/unpack-build.sh TARBALL" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
tar -C "$root" -xzf "$1"
test -x "$root/build/hookmatrix"
