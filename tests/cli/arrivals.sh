#!/bin/sh
# tests/cli/arrivals.sh - `burstsim trace-stats` and the trace scenarios end
# to end: the LLM code trace's statistics (README of ../shared/data/traces:
# 8,819 events, 152/min mean, 632/min peak, peak/mean 4.16, IAT CV 13.2),
# the 2019 queue-triggered functions (670,036) both through trace-stats and
# through scenarios/functions-queue-2019.yaml, and trace errors with their
# line (exit 3). Prints PASS:/FAIL:/SKIP: lines (see tests/run.sh).
set -u
B=${BURSTSIM:-build/burstsim}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
D=${BURSTSIM_TRACES:-../shared/data/traces}
CODE=$D/AzureLLMInferenceTrace_code.csv
WIDE=$D/azure_functions_2019_sample500/invocations.csv

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }

# field NAME FILE: the value after "NAME:" in trace-stats text output.
field() { sed -n "s/^$1: *//p" "$2" | head -n 1; }

# expect_error NAME PATTERN -- ARGS...: exit 3, one stderr line matching
# (besides "note: " lines saying what time_format auto chose).
expect_error() {
    name=$1 pat=$2; shift 3
    "$B" "$@" >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -ne 3 ]; then
        fail "$name" "exit $rc, expected 3; stderr: $(cat "$T/err")"
    elif [ "$(grep -vc '^note: ' "$T/err")" -ne 1 ] ||
         ! grep -v '^note: ' "$T/err" | grep -Eq "$pat"; then
        fail "$name" "stderr '$(cat "$T/err")' does not match '$pat'"
    else
        pass "$name"
    fi
}

# --- trace-stats on the shared traces ---------------------------------------
if [ -f "$CODE" ]; then
    "$B" trace-stats "$CODE" >"$T/code.txt" 2>&1; rc=$?
    ev=$(field events "$T/code.txt"); pm=$(field 'peak\/mean' "$T/code.txt")
    peak=$(field 'peak per minute' "$T/code.txt")
    mean=$(field 'mean per minute' "$T/code.txt")
    cv=$(field 'inter-arrival CV' "$T/code.txt")
    if [ "$rc" -eq 0 ] && [ "$ev" = 8819 ] && [ "$pm" = 4.16 ] &&
       [ "$peak" = 632.00 ] && [ "$mean" = 152.05 ] && [ "$cv" = 13.15 ]; then
        pass "trace-stats/llm-code"
    else
        fail "trace-stats/llm-code" "exit $rc: $(cat "$T/code.txt")"
    fi
    # --json carries the same numbers; busiest minute first
    "$B" trace-stats --json "$CODE" >"$T/code.json"; rc=$?
    if [ "$rc" -eq 0 ] && grep -q '"events": 8819' "$T/code.json" &&
       grep -q '"count": 632' "$T/code.json"; then
        pass "trace-stats/json"
    else
        fail "trace-stats/json" "exit $rc: $(head -c 400 "$T/code.json")"
    fi
else
    echo "SKIP: trace-stats/llm-code: $CODE not found"
fi

if [ -f "$WIDE" ]; then
    "$B" trace-stats --format counts_wide --filter Trigger=queue "$WIDE" \
        >"$T/wide.txt" 2>&1; rc=$?
    if [ "$rc" -eq 0 ] && [ "$(field events "$T/wide.txt")" = 670036 ] &&
       [ "$(field 'peak per minute' "$T/wide.txt")" = 2356.00 ] &&
       [ "$(field 'peak\/mean' "$T/wide.txt")" = 1.69 ]; then
        pass "trace-stats/functions-2019-queue"
    else
        fail "trace-stats/functions-2019-queue" "exit $rc: $(cat "$T/wide.txt")"
    fi
    # The scenario, end to end: every invocation becomes a message.
    "$B" run scenarios/functions-queue-2019.yaml -q --replications 1 \
        --set "arrivals.trace.path=$WIDE" -o "$T/fq" >"$T/out" 2>"$T/err"; rc=$?
    msgs=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "messages") c = i }
                    NR == 2 { print $c }' "$T/fq/summary.csv" 2>/dev/null)
    if [ "$rc" -eq 0 ] && [ "$msgs" = 670036 ]; then
        pass "scenario/functions-queue-2019"
    else
        fail "scenario/functions-queue-2019" "exit $rc, messages '$msgs': $(cat "$T/err")"
    fi
else
    echo "SKIP: functions-2019: $WIDE not found"
fi

# --- trace-stats on small traces, and errors with their line -----------------
printf 't\n0\n30\n61\n62\n200\n' >"$T/small.csv"
"$B" trace-stats --time-format offset_s "$T/small.csv" >"$T/small.txt"; rc=$?
# minutes [0,60): 2, [60,120): 2, [120,180): 0, [180,240): 1 -> 4 buckets,
# mean 5 / 4 = 1.25, peak 2, peak/mean 1.60; gaps 30, 31, 1, 138 s.
if [ "$rc" -eq 0 ] && [ "$(field events "$T/small.txt")" = 5 ] &&
   [ "$(field 'mean per minute' "$T/small.txt")" = 1.25 ] &&
   [ "$(field 'peak\/mean' "$T/small.txt")" = 1.60 ]; then
    pass "trace-stats/small"
else
    fail "trace-stats/small" "exit $rc: $(cat "$T/small.txt")"
fi
printf 't\n1\n3\n2\n' >"$T/unsorted.csv"
expect_error trace-stats/unsorted 'unsorted\.csv:4: error: timestamp earlier than the previous row' \
    -- trace-stats "$T/unsorted.csv"
printf 't\n1\nnoon\n' >"$T/badtime.csv"
expect_error trace-stats/bad-time 'badtime\.csv:3:1: error: t: expected' \
    -- trace-stats "$T/badtime.csv"
printf 't,n\n0,3\n60,-2\n' >"$T/neg.csv"
expect_error trace-stats/negative-count 'neg\.csv:3:2: error: n: expected a count' \
    -- trace-stats --format counts "$T/neg.csv"
printf 't\n' >"$T/empty.csv"
expect_error trace-stats/empty 'empty\.csv: error: trace has no rows' \
    -- trace-stats "$T/empty.csv"
expect_error trace-stats/missing-column 'unsorted\.csv:1: error: arrivals\.trace\.time_column: no column "when"' \
    -- trace-stats --time-column when "$T/unsorted.csv"

# The same errors through `run`, with a list of arrivals items.
cat >"$T/two.yaml" <<YAML
horizon: 1h
replications: 1
arrivals:
  - process: {kind: poisson, rate: 1/s}
  - trace: {path: unsorted.csv}
output: {timeseries: false}
YAML
expect_error run/unsorted-in-list 'unsorted\.csv:4: error: timestamp earlier' \
    -- run "$T/two.yaml" -q -o "$T/res-two"

# time_format auto (issue 11 #1): an epoch_ms export of one hour. Derived:
# 1704067200000 ms = 2024-01-01T00:00:00Z, the last row 3,600,000 ms later,
# so the span is 3600 s (read as seconds it would be 1.7e12 s); the choice
# is said on stderr, in summary.json and by trace-stats.
printf 'timestamp_ms,x\n1704067200000,1\n1704067230000,1\n1704070800000,1\n' \
    >"$T/epochms.csv"
cat >"$T/epochms.yaml" <<YAML
replications: 1
arrivals:
  trace: {path: epochms.csv}
output: {timeseries: false}
YAML
"$B" run "$T/epochms.yaml" -q -o "$T/res-ms" >"$T/out" 2>"$T/err"; rc=$?
if [ "$rc" -eq 0 ] &&
   grep -qx "note: arrivals.trace.time_column 'timestamp_ms': epoch_ms (auto; first value 1704067200000 at line 2; header says ms)" "$T/err" &&
   grep -q '"time_format_detected": "epoch_ms"' "$T/res-ms/summary.json" &&
   grep -q '"time_format": "auto"' "$T/res-ms/summary.json"; then
    pass "run/auto-epoch-ms"
else
    fail "run/auto-epoch-ms" "exit $rc: $(cat "$T/err")"
fi
"$B" trace-stats "$T/epochms.csv" >"$T/ms.txt" 2>&1; rc=$?
if [ "$rc" -eq 0 ] && [ "$(field span "$T/ms.txt")" = "3600.000 s (60.0 min)" ] &&
   [ "$(field 'time format' "$T/ms.txt")" = "'timestamp_ms': epoch_ms (auto; first value 1704067200000 at line 2; header says ms)" ] &&
   "$B" trace-stats --json "$T/epochms.csv" | grep -q '"time_format": "epoch_ms"'; then
    pass "trace-stats/auto-epoch-ms"
else
    fail "trace-stats/auto-epoch-ms" "exit $rc: $(cat "$T/ms.txt")"
fi
# ISO 8601 needs no guess: no note, but summary.json records it
printf 'TIMESTAMP\n2023-11-16 18:17:03.1\n2023-11-16 18:18:03.1\n' >"$T/iso.csv"
sed 's/epochms.csv/iso.csv/' "$T/epochms.yaml" >"$T/iso.yaml"
"$B" run "$T/iso.yaml" -q -o "$T/res-iso" >"$T/out" 2>"$T/err"; rc=$?
if [ "$rc" -eq 0 ] && ! grep -q '^note:' "$T/err" &&
   grep -q '"time_format_detected": "iso8601"' "$T/res-iso/summary.json"; then
    pass "run/auto-iso-no-note"
else
    fail "run/auto-iso-no-note" "exit $rc: $(cat "$T/err")"
fi

"$B" trace-stats >/dev/null 2>&1; rc=$?
if [ "$rc" -eq 2 ]; then pass "trace-stats/usage"; else fail "trace-stats/usage" "exit $rc"; fi
