#!/usr/bin/env bash
# CI step (the nightly schedule): compares tonight's merged results with the previous night's.
#   ci/nightly-diff.sh PREVIOUS_DIR TONIGHT_DIR
# PREVIOUS_DIR is where the previous night's results artifact was downloaded to; it may be
# missing or empty: on the first night (or after the artifact expired) there is no baseline, which
# is said and is not an error. With one, TONIGHT_DIR/report.html is rewritten with a "Changes
# since baseline" section, TONIGHT_DIR/changes.md lists only the cells that changed (also
# appended to the job summary on GitHub), and the cells that changed are printed.
# Exit codes: those of `hookmatrix diff`: 0 no regression, 1 a regression, 2 bad input (such as
# a baseline from another kernel, which has no cell in common).
set -euo pipefail
if (($# != 2)); then
  echo "usage: ci/nightly-diff.sh PREVIOUS_DIR TONIGHT_DIR" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
hookmatrix=${HOOKMATRIX:-$root/build/hookmatrix}
base=$1/results.json now=$2/results.json

if [[ ! -f $base ]]; then
  message="nightly-diff: no baseline: $base does not exist (the first night, or the previous night's artifact expired); nothing to compare, tonight's results become the next baseline"
  echo "$message"
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
    printf '%s\n' "$message" >>"$GITHUB_STEP_SUMMARY"
  fi
  exit 0
fi

# The reports people read: report.html with the changes below the rest, changes.md with only
# the cells that changed. Exit 1 (a failed cell or a regression) is for the diff below to judge.
"$hookmatrix" report "$now" --baseline "$base" --html "$2/report.html" \
  --markdown "$2/changes.md" || { rc=$?; ((rc == 1)) || exit "$rc"; }
if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
  cat "$2/changes.md" >>"$GITHUB_STEP_SUMMARY"
fi
# The verdict CI acts on.
exec "$hookmatrix" diff "$base" "$now"
