#!/usr/bin/env bash
# How often `hookmatrix diff` calls two runs of an unchanged kernel a regression on this machine:
# N nights the nightly way (run --rounds 2; run --rounds 2 --baseline last night; diff), each a
# fresh pair of the default matrix. A property of the machine's noise, so it is measured here,
# over many nights, not asserted in a test (docs/benchmarks.md keeps the figures, dated).
#   ci/false-alarms.sh [NIGHTS] [BUILD_DIR]    e.g. ci/false-alarms.sh 24 build
# Prints one line per night and, last, "N of M nights, K of C cell comparisons called a
# regression". Exit 0 whatever it finds; 2 on bad usage.
set -euo pipefail
nights=${1:-12}
build=${2:-build}
[[ $nights =~ ^[1-9][0-9]*$ ]] || { echo "false-alarms: NIGHTS must be a positive number" >&2; exit 2; }
hm=$build/hookmatrix
[[ -x $hm ]] || { echo "false-alarms: no $hm (build first: ci/build.sh)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
alarms=0 cells=0 regressed=0
for ((n = 1; n <= nights; n++)); do
  "$hm" run --rounds 2 --no-html --no-junit --no-markdown -o "$work/a" >/dev/null
  "$hm" run --rounds 2 --no-html --no-junit --no-markdown -o "$work/b" \
    --baseline "$work/a/results.json" >/dev/null || true
  rc=0
  "$hm" diff -j "$work/a/results.json" "$work/b/results.json" >"$work/diff.json" || rc=$?
  read -r r u i < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(s["regressions"], s["unchanged"], s["improvements"])' "$work/diff.json")
  cells=$((cells + r + u + i))
  regressed=$((regressed + r))
  ((r > 0)) && alarms=$((alarms + 1))
  echo "night $n: exit $rc, $r regressions of $((r + u + i)) cells"
  rm -rf "$work/a" "$work/b"
done
echo "$alarms of $nights nights, $regressed of $cells cell comparisons called a regression"
