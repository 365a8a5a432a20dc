#!/usr/bin/env bash
# Fuzzes every reader of outside input (tests/fuzz, docs/fuzzing.md): builds the libFuzzer
# harnesses with clang 16, ASan and UBSan, and runs each for FUZZ_SECONDS (default 60) from its
# seed corpus in tests/fuzz/corpus/NAME (read only: new inputs go to a scratch corpus). A crash,
# a sanitizer report or an input slower than 10 s fails the script and leaves its reproducer in
# FUZZ_OUT/NAME/ (crash-*, leak-*, timeout-*): add it to the corpus with the fix and a test.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
out=${FUZZ_OUT:-$build/findings}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-16 \
  -DCMAKE_CXX_COMPILER=clang++-16 -DHOOKMATRIX_FUZZ=ON -DHOOKMATRIX_BUILD_TESTS=OFF \
  -DHOOKMATRIX_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target hm_fuzzers

status=0
for seeds in tests/fuzz/corpus/*/; do
  name=$(basename "$seeds")
  scratch=$(mktemp -d)
  mkdir -p "$out/$name"
  log="$out/$name.log"
  if "$build/tests/fuzz/${name}_fuzz" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/$name/" \
       "$scratch" "$seeds" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz: $name: nothing found in ${runs:-?} inputs, ${seconds} s"
  else
    echo "fuzz: $name: FOUND A PROBLEM; reproducer in $out/$name/, log $log:"
    tail -n 40 "$log"
    status=1
  fi
  rm -rf "$scratch"
done
exit "$status"
