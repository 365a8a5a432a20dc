#!/usr/bin/env bash
# CI step (ci/workflows/hookmatrix.yml, one job per kernel, as `1 1 OUT --kernels K`): runs the
# I-th of N disjoint slices of the matrix into OUT_DIR (results.json and its reports); on this
# machine's kernel unless the options name others (--kernels).
#   ci/matrix-shard.sh I N OUT_DIR [hookmatrix run options...]
# With $HOOKMATRIX_HISTORY naming an existing folder of earlier nights' results (the workflow's
# history cache), the run is judged against it and a cell whose latency regressed is measured
# again before it counts (`run --history`); else with $HOOKMATRIX_BASELINE naming an existing
# results.json, against that one night (`run --baseline`). Missing is the first night, no error.
# The binary is $HOOKMATRIX, else build/hookmatrix of this checkout. Exits like `hookmatrix run`:
# 0 every cell pass or unsupported, 1 a cell fail or error, 2 bad usage; results.json is written
# in both first cases, so the workflow uploads it either way and merge-shards.sh still sees it.
set -euo pipefail
if (($# < 3)); then
  echo "usage: ci/matrix-shard.sh I N OUT_DIR [hookmatrix run options...]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
hookmatrix=${HOOKMATRIX:-$root/build/hookmatrix}
index=$1 count=$2 out=$3
shift 3
baseline=()
if [[ -n ${HOOKMATRIX_HISTORY:-} && -d $HOOKMATRIX_HISTORY ]]; then
  baseline=(--history "$HOOKMATRIX_HISTORY")
elif [[ -n ${HOOKMATRIX_BASELINE:-} && -s $HOOKMATRIX_BASELINE ]]; then
  baseline=(--baseline "$HOOKMATRIX_BASELINE")
fi
exec "$hookmatrix" run --shard "$index/$count" -o "$out" "${baseline[@]}" "$@"
