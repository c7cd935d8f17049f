#!/bin/sh
# tests/run.sh - run the unit test binaries (cmocka) given as arguments and
# every script tests/cli/*.sh, count their cases and end with the line
# "N passed, N failed" (plus ", N skipped" when some were skipped). Exit 1
# when anything failed.
#   tests/run.sh [--no-cli] [--bg BIN]... [BIN]...
#   --bg BIN   start BIN first, in the background, and collect it at the
#              end (the long statistical group runs beside the quick one:
#              the machine has 2 cores)
#   --no-cli   skip tests/cli/*.sh
#
# cmocka binaries report "[  PASSED  ] N test(s)." / "[  FAILED  ] N
# test(s)" / "[  SKIPPED ] N test(s)". Shell tests print one line per case:
# "PASS: name", "FAIL: name: why" or "SKIP: name: why"; they find the
# program in $BURSTSIM. A binary that exits non-zero without a failure
# count (a crash) counts as one failure. A failure shows the whole output.
set -u
BUILD=${BUILD:-build}
export BURSTSIM="${BURSTSIM:-$PWD/$BUILD/burstsim}"
export CMOCKA_MESSAGE_OUTPUT=STDOUT
passed=0; failed=0; skipped=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cli=1; bg=""; fg=""; nbg=0
while [ $# -gt 0 ]; do
    case $1 in
    --no-cli) cli=0 ;;
    --bg) shift; nbg=$((nbg + 1)); bg="$bg $1"
          ( "$1" >"$tmp/bg$nbg" 2>&1; echo $? >"$tmp/bg$nbg.rc" ) & ;;
    *) fg="$fg $1" ;;
    esac
    shift
done

# count WHAT LOG: the sum of cmocka's "[  WHAT ] N test(s)" lines.
count() {
    awk -v w="$1" '$0 ~ "^\\[  " w " *\\] [0-9]+ test\\(s\\)" {
        s = $0; sub(/^\[[^]]*\] /, "", s); n += s + 0 } END { print n + 0 }' "$2"
}

# unit NAME LOG RC: add one cmocka binary's counts.
unit() {
    p=$(count PASSED "$2"); f=$(count FAILED "$2"); k=$(count SKIPPED "$2")
    if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed
    if [ "$f" -ne 0 ]; then
        echo "---- $1 (exit $3)"; cat "$2"
    elif [ "$k" -ne 0 ]; then
        echo "ok   $1: $p, $k skipped"
    else
        echo "ok   $1: $p"
    fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + k))
}

for t in $fg; do
    "$t" >"$tmp/log" 2>&1; rc=$?
    unit "$(basename "$t")" "$tmp/log" "$rc"
done

if [ "$cli" = 1 ]; then
    for s in tests/cli/*.sh; do
        [ -f "$s" ] || continue
        sh "$s" >"$tmp/log" 2>&1; rc=$?
        p=$(grep -c '^PASS: ' "$tmp/log"); f=$(grep -c '^FAIL: ' "$tmp/log"); k=$(grep -c '^SKIP: ' "$tmp/log")
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL: $s exited $rc" >>"$tmp/log"; fi
        if [ "$f" -ne 0 ]; then echo "---- $s"; cat "$tmp/log"; else echo "ok   $(basename "$s"): $p"; grep '^SKIP: ' "$tmp/log"; fi
        passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + k))
    done
fi

wait
i=0
for t in $bg; do
    i=$((i + 1))
    unit "stat/$(basename "$t")" "$tmp/bg$i" "$(cat "$tmp/bg$i.rc" 2>/dev/null || echo 1)"
done

if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
