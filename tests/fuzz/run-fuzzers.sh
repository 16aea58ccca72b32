#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the fuzz targets with clang and libFuzzer (ASan and UBSan on every object) in a
# build folder of their own, then runs each for SECONDS, one after the other, starting from
# the committed corpus (tests/fuzz/corpus/NAME, only read) and printing the executions. A
# crash leaves its input as BUILD/crash-NAME-*: commit it into the corpus with the fix.
# With FUZZ_KEEP=1 the new inputs stay in BUILD/corpus-NAME.
# Usage: run-fuzzers.sh SOURCE_ROOT BUILD_DIR SECONDS [NAME…]
set -eu
src=$1
build=$2
seconds=$3
shift 3
names=${*:-codec push text import photo}

if ! command -v clang >/dev/null 2>&1; then
  echo "clang is missing (scripts/install-deps installs it)"
  exit 77
fi
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Dfuzzing=true -Dapp=false -Dwerror=false \
    -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debugoptimized >/dev/null
fi
targets=
for name in $names; do
  targets="$targets tests/fuzz/fuzz-$name"
done
# shellcheck disable=SC2086
ninja -C "$build" $targets >/dev/null

failed=0
for name in $names; do
  work=${FUZZ_KEEP:+$build/corpus-$name}
  [ -n "$work" ] && mkdir -p "$work" || work=$(mktemp -d)
  log="$build/fuzz-$name.log"
  # GLib keeps one-time allocations (types, caches) for the whole process: leaks are checked
  # by the corpus replay under the sanitizer build instead, with tests/lsan.supp.
  if ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
     "$build/tests/fuzz/fuzz-$name" -max_total_time="$seconds" -max_len=65536 \
       -rss_limit_mb=2048 -timeout=20 -detect_leaks=0 -print_final_stats=1 \
       -artifact_prefix="$build/crash-$name-" "$work" "$src/tests/fuzz/corpus/$name" \
       >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    echo "fuzz-$name: $runs executions in ${seconds}s, $cov, corpus $(ls "$work" | wc -l) new"
  else
    echo "fuzz-$name: FAILED, see $log"
    tail -n 40 "$log"
    failed=1
  fi
  [ -n "${FUZZ_KEEP:-}" ] || rm -rf "$work"
done
exit "$failed"
