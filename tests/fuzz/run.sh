#!/bin/sh
# tests/fuzz/run.sh - build the libFuzzer harnesses of tests/fuzz/ and run
# each one for FUZZ_SECONDS (default 60) on a copy of its committed corpus.
#
# Usage: tests/fuzz/run.sh [NAME...]     (from the repository root; NAME is
#        a harness without the fuzz_ prefix, default: all of them)
# Environment:
#   FUZZ_SECONDS  seconds per harness (default 60; 0 = build only)
#   FUZZ_JOBS     harnesses run at once (default 1)
#   FUZZ_OUT      build and work folder (default build-fuzz)
#   CLANG         compiler (default clang; needs libFuzzer: Debian packages
#                 clang and libclang-rt-14-dev for clang 14)
# Prints "fuzz NAME: N runs, K crashes (cov: C)" per harness and exits 1 on
# any crash, sanitizer report, leak or timeout (artifacts and the full log
# of each harness in $FUZZ_OUT/artifacts/NAME/ and $FUZZ_OUT/logs/NAME.log;
# the committed corpus is never written).
set -eu

SECONDS_EACH=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-1}
OUT=${FUZZ_OUT:-build-fuzz}
CLANG=${CLANG:-clang}
HERE=tests/fuzz

[ -f "$HERE/run.sh" ] || { echo "run.sh: run from the repository root" >&2; exit 2; }

ALL="scenario override trace trace_time values manifest run"
NAMES=${*:-$ALL}

# max_len per harness (bytes).
max_len() {
    case $1 in
        scenario) echo 16384 ;; override) echo 2048 ;; trace) echo 8192 ;;
        trace_time) echo 128 ;; values) echo 64 ;; manifest) echo 32768 ;;
        run) echo 8192 ;; *) echo 4096 ;;
    esac
}

PKG_CFLAGS=$(pkg-config --cflags gsl yaml-0.1 jansson)
PKG_LIBS="$(pkg-config --libs gsl yaml-0.1 jansson) -lcsv -lm -pthread"
VERSION=$(cat VERSION 2>/dev/null || echo 0.0.0)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-O1 -g $SAN -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. \
-DSIM_DEBUG -DBURSTSIM_VERSION=\"$VERSION\" -pthread $PKG_CFLAGS"

# ---- build -----------------------------------------------------------------
mkdir -p "$OUT/obj"
SRCS=$(ls sim/engine/*.c models/*.c sim/io/*.c sim/run/*.c sim/cli/*.c | grep -v '^sim/cli/main\.c$')
NEWEST_H=$(ls -t sim/*/*.h models/*.h | head -1)
for s in $SRCS; do
    o="$OUT/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')"
    # Rebuild when the source or any project header is newer than the object.
    if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ "$NEWEST_H" -nt "$o" ]; then
        echo "$s $o"
    fi
done | FZ_CC=$CLANG FZ_CFLAGS=$CFLAGS xargs -r -P 2 -n 2 \
    sh -c '$FZ_CC $FZ_CFLAGS -fsanitize=fuzzer-no-link -w -c -o "$1" "$0"' \
    || { echo "run.sh: building the project sources failed" >&2; exit 1; }
OBJS=$(for s in $SRCS; do echo "$OUT/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')"; done)

for n in $NAMES; do
    [ -f "$HERE/fuzz_$n.c" ] || { echo "run.sh: no harness $HERE/fuzz_$n.c" >&2; exit 2; }
    # shellcheck disable=SC2086
    $CLANG $CFLAGS -fsanitize=fuzzer -Wall -Wextra -Werror -o "$OUT/fuzz_$n" \
        "$HERE/fuzz_$n.c" "$HERE/fuzz_sandbox.c" $OBJS -Wl,--wrap=fopen $PKG_LIBS \
        || { echo "run.sh: building fuzz_$n failed" >&2; exit 1; }
done
[ "$SECONDS_EACH" -gt 0 ] || exit 0

# ---- run ---------------------------------------------------------------------
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Every committed reproducer (crashes/NAME-*) must pass first: a fixed
# crash stays fixed.
replay_one() {
    n=$1
    for f in "$HERE/crashes/$n"-*; do
        [ -f "$f" ] || continue
        if ! "$OUT/fuzz_$n" "$f" </dev/null >"$OUT/logs/replay-$(basename "$f").log" 2>&1; then
            echo "fuzz $n: reproducer $(basename "$f") fails again (see $OUT/logs/replay-$(basename "$f").log)"
            return 1
        fi
    done
    return 0
}

run_one() {
    n=$1
    mkdir -p "$OUT/logs"
    replay_one "$n" || return 1
    corpus="$OUT/corpus/$n"
    arts="$OUT/artifacts/$n"
    log="$OUT/logs/$n.log"
    rm -rf "$corpus" "$arts"
    mkdir -p "$corpus" "$arts" "$OUT/logs"
    if [ -d "$HERE/corpus/$n" ]; then
        cp "$HERE/corpus/$n"/* "$corpus"/ 2>/dev/null || true
    fi
    set +e
    "$OUT/fuzz_$n" -max_total_time="$SECONDS_EACH" -max_len="$(max_len "$n")" \
        -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 -print_final_stats=1 \
        -artifact_prefix="$arts/" "$corpus" </dev/null >"$log" 2>&1
    rc=$?
    set -e
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | sed 's/cov: //')
    k=$(ls "$arts" | wc -l)
    if [ "$rc" -ne 0 ] && [ "$k" -eq 0 ]; then
        k=1 # died without an artifact (e.g. out of memory in the runner)
    fi
    echo "fuzz $n: ${runs:-0} runs, $k crashes (cov: ${cov:-?})"
    [ "$rc" -eq 0 ] && [ "$k" -eq 0 ]
}

fail=0
if [ "$JOBS" -le 1 ]; then
    for n in $NAMES; do
        run_one "$n" || fail=1
    done
else
    # Run JOBS harnesses at a time; collect their statuses.
    set -- $NAMES
    while [ $# -gt 0 ]; do
        pids=""
        i=0
        while [ $# -gt 0 ] && [ $i -lt "$JOBS" ]; do
            ( run_one "$1" ) &
            pids="$pids $!"
            shift
            i=$((i + 1))
        done
        for p in $pids; do
            wait "$p" || fail=1
        done
    done
fi
exit $fail
