#!/usr/bin/env bash
# CI step (the merge job): joins the N shards' (or kernels') results into OUT_DIR/results.json
# with `hookmatrix merge`, then writes report.html, junit.xml and compat.md there with `hookmatrix
# report`.
#   ci/merge-shards.sh N SHARDS_DIR OUT_DIR
# SHARDS_DIR holds one directory per shard, each with its results.json (as actions/
# download-artifact lays out the shard artifacts). Fewer or more than N of them is an error:
# a shard job that died must not pass for a smaller matrix.
# Exit codes: those of merge (0, 1 when a merged cell is fail or error, 2 bad input).
set -euo pipefail
if (($# != 3)); then
  echo "usage: ci/merge-shards.sh N SHARDS_DIR OUT_DIR" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
hookmatrix=${HOOKMATRIX:-$root/build/hookmatrix}
count=$1 shards=$2 out=$3

shopt -s nullglob
files=("$shards"/*/results.json)
shopt -u nullglob
if ((${#files[@]} != count)); then
  echo "merge-shards: expected $count shard results in $shards/*/results.json, found" \
       "${#files[@]}${files[*]:+: ${files[*]}}" >&2
  exit 2
fi

status=0
"$hookmatrix" merge "${files[@]}" -o "$out" || status=$?
if ((status != 0 && status != 1)); then
  exit "$status"
fi
# The reports are written whatever the cells' verdicts; their exit code repeats merge's.
"$hookmatrix" report "$out/results.json" --html "$out/report.html" --junit "$out/junit.xml" \
  --markdown "$out/compat.md" || { rc=$?; ((rc == 1)) || exit "$rc"; }
exit "$status"
