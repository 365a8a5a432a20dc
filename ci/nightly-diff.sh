#!/usr/bin/env bash
# CI step (the nightly schedule): judges tonight's merged results against the history of earlier
# nights, then files tonight into that history.
#   ci/nightly-diff.sh HISTORY_DIR TONIGHT_DIR
# HISTORY_DIR holds earlier nights' results.json files (any *.json, or DIR/*/results.json; the
# workflow keeps it in a cache from night to night). It may be missing or empty: on the first
# night (or after the cache expired) there is no baseline, which is said and is not an error.
# With one, `hookmatrix diff --history` judges tonight against its newest 7 nights (a window of
# one night is the plain `diff BASE NEW`), TONIGHT_DIR/report.html is rewritten with a "Changes
# since baseline" section, TONIGHT_DIR/changes.md lists only the cells that changed (also
# appended to the job summary on GitHub), and the cells that changed are printed.
# Tonight is then filed into HISTORY_DIR as hookmatrix-<start>.json, keeping the newest
# HOOKMATRIX_HISTORY_KEEP (default 30) files filed that way, whatever the verdict: a regression
# that holds is then reported once more with the night it began, not as new every night.
# Exit codes: those of `hookmatrix diff`: 0 no regression, 1 a regression, 2 bad input (such as
# a history from another kernel, which has no cell in common).
set -euo pipefail
if (($# != 2)); then
  echo "usage: ci/nightly-diff.sh HISTORY_DIR TONIGHT_DIR" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
hookmatrix=${HOOKMATRIX:-$root/build/hookmatrix}
history=$1 now=$2/results.json
keep=${HOOKMATRIX_HISTORY_KEEP:-30}

file_tonight() {
  mkdir -p "$history"
  cp "$now" "$history/hookmatrix-$(date -u +%Y%m%dT%H%M%SZ).json"
  # The oldest of the files filed this way beyond $keep; names sort by time.
  local filed=("$history"/hookmatrix-*.json)
  local extra=$((${#filed[@]} - keep))
  if ((extra > 0)); then
    rm -f -- "${filed[@]:0:extra}"
  fi
}

shopt -s nullglob
earlier=("$history"/*.json "$history"/*/results.json)
shopt -u nullglob
if ((${#earlier[@]} == 0)); then
  message="nightly-diff: no baseline: $history holds no earlier night (the first night, or the history cache expired); nothing to compare, tonight's results start the history"
  echo "$message"
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
    printf '%s\n' "$message" >>"$GITHUB_STEP_SUMMARY"
  fi
  file_tonight
  exit 0
fi

# The reports people read: report.html with the changes below the rest, changes.md with only
# the cells that changed. Exit 1 (a failed cell or a regression) is for the diff below to judge.
"$hookmatrix" report "$now" --history "$history" --html "$2/report.html" \
  --markdown "$2/changes.md" || { rc=$?; ((rc == 1)) || exit "$rc"; }
if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
  cat "$2/changes.md" >>"$GITHUB_STEP_SUMMARY"
fi
# The verdict CI acts on.
rc=0
"$hookmatrix" diff --history "$history" "$now" || rc=$?
if ((rc == 0 || rc == 1)); then
  file_tonight
fi
exit "$rc"
