#!/bin/sh
# tests/run.sh - run every unit test binary (cmocka) given as arguments and
# every script tests/cli/*.sh, count their cases and end with the line
# "N passed, N failed" (plus ", N skipped"). Exit 1 when anything failed.
#
# cmocka binaries report "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)".
# Shell tests print one line per case: "PASS: name", "FAIL: name: why" or
# "SKIP: name: why"; they find the program in $BURSTSIM.
set -u
BUILD=${BUILD:-build}
export BURSTSIM="${BURSTSIM:-$PWD/$BUILD/burstsim}"
export CMOCKA_MESSAGE_OUTPUT=STDOUT
passed=0; failed=0; skipped=0
log=$(mktemp); trap 'rm -f "$log"' EXIT

for t in "$@"; do
    "$t" >"$log" 2>&1; rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | head -n 1)
    p=${p:-0}; f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed
    if [ "$f" -ne 0 ]; then
        echo "---- $t"; cat "$log"
    else
        echo "ok   $(basename "$t"): $p"
    fi
    passed=$((passed + p)); failed=$((failed + f))
done

for s in tests/cli/*.sh; do
    [ -f "$s" ] || continue
    sh "$s" >"$log" 2>&1; rc=$?
    p=$(grep -c '^PASS: ' "$log"); f=$(grep -c '^FAIL: ' "$log"); k=$(grep -c '^SKIP: ' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL: $s exited $rc" >>"$log"; fi
    if [ "$f" -ne 0 ]; then echo "---- $s"; cat "$log"; else echo "ok   $(basename "$s"): $p"; grep '^SKIP: ' "$log"; fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + k))
done

if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
