#!/bin/sh
# tests/cli/bad_trace.sh - the bad-trace catalogue (issue 11: "every run
# either right or refused"): traces that burstsim must refuse, each run
# through `burstsim run` (and some through `trace-stats`), asserting
#   - the exit code (README "Exit status": 3 invalid scenario or trace),
#   - exactly one stderr line (a "note: " line about what time_format auto
#     chose may precede it), matching the expected `file:line[:col]: error:
#     key: ...` text that names the row and column or key,
#   - that no results folder is left behind (-o target absent afterwards),
#   - and that no unrelated file was touched (the folder's listing and
#     checksums are the same before and after).
# Prints PASS:/FAIL:/SKIP: lines (see tests/run.sh).
set -u
B=${BURSTSIM:-build/burstsim}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }

# snapshot: names and checksums of every file under $T except out/ and err.
snapshot() {
    (cd "$T" && find . -path ./res -prune -o -type f ! -name err ! -name out \
        -print | LC_ALL=C sort | xargs cksum) 2>/dev/null
}

# bad NAME EXIT PATTERN -- ARGS...: burstsim ARGS must exit EXIT with one
# error line (after optional note: lines) matching PATTERN (extended
# regex), leave no $T/res, touch nothing else, print no raw ESC byte.
bad() {
    name=$1 want=$2 pat=$3; shift 4
    before=$(snapshot)
    "$B" "$@" >"$T/out" 2>"$T/err"; rc=$?
    after=$(snapshot)
    n=$(grep -v "^note: " "$T/err" | grep -vc "^try 'burstsim")
    esc=$(printf '\033')
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit $rc, expected $want; stderr: $(cat "$T/err")"
    elif [ "$n" -ne 1 ]; then
        fail "$name" "expected one error line, got $n: $(cat "$T/err")"
    elif ! grep -v "^note: " "$T/err" | grep -Eq "$pat"; then
        fail "$name" "stderr '$(cat "$T/err")' does not match '$pat'"
    elif [ -e "$T/res" ]; then
        fail "$name" "results folder left behind: $(ls -A "$T/res")"
    elif [ "$before" != "$after" ]; then
        fail "$name" "files changed"
    elif grep -q "$esc" "$T/err"; then
        fail "$name" "a raw ESC byte reached stderr"
    else
        pass "$name"
    fi
}

# scn NAME TRACE [KEY: VALUE lines...]: a small scenario replaying TRACE.
scn() {
    f=$1 tr=$2; shift 2
    {
        printf 'name: bad\nreplications: 1\n'
        printf 'arrivals:\n  trace:\n    path: %s\n' "$tr"
        for kv in "$@"; do printf '    %s\n' "$kv"; done
        printf 'output: {timeseries: false}\n'
    } >"$T/$f"
}
# run_bad NAME PATTERN SCENARIO: bad ... -- run SCENARIO -q -o $T/res
run_bad() { bad "$1" 3 "$2" -- run "$T/$3" -q -o "$T/res"; }

# --- 1: time_format auto decides from the header and the first value ------
# 1704067200 = 2024-01-01T00:00:00Z is epoch_s by magnitude; "ts_ms" says ms
printf 'ts_ms,x\n1704067200,1\n1704070800,1\n' >"$T/amb.csv"
scn amb.yaml amb.csv
run_bad auto/ambiguous-unit 'amb\.csv:2:1: error: ts_ms: time_format auto cannot decide from "1704067200" \(header .ts_ms.\): candidates epoch_s \(by the value.s magnitude\) or offset_ms \(the header says milliseconds\); set arrivals\.trace\.time_format$' amb.yaml
bad trace-stats/auto-ambiguous-unit 3 'amb\.csv:2:1: error: ts_ms: time_format auto cannot decide' \
    -- trace-stats "$T/amb.csv"
# 1704067200000 is epoch_ms by magnitude; "t_s" says seconds
printf 't_s\n1704067200000\n' >"$T/amb2.csv"
scn amb2.yaml amb2.csv
run_bad auto/ms-value-seconds-header 'amb2\.csv:2:1: error: t_s: .*candidates epoch_ms \(by the value.s magnitude\) or offset_s' amb2.yaml
# 3.1e10 lies between epoch_s (< 1e10) and epoch_ms (>= 10^11.5)
printf 'ts\n31000000000\n' >"$T/gap.csv"
scn gap.yaml gap.csv
run_bad auto/gap 'gap\.csv:2:1: error: ts: time_format auto cannot decide from "31000000000" \(header .ts.\): the value fits no format' gap.yaml
# beyond epoch_us (nanoseconds since the epoch)
printf 'ts\n1704067200000000000\n' >"$T/ns.csv"
scn ns.yaml ns.csv
run_bad auto/nanoseconds 'ns\.csv:2:1: error: ts: .*fits no format' ns.yaml
# header says epoch, value 12 is no date
printf 'epoch\n12\n' >"$T/ep.csv"
scn ep.yaml ep.csv
run_bad auto/epoch-header-small-value 'ep\.csv:2:1: error: epoch: .*candidates offset_s \(by the value: not a date from 1980 to 2286 in any unit\) or epoch \(by the header\)' ep.yaml
printf 't\n-5\n' >"$T/neg.csv"
scn neg.yaml neg.csv
run_bad auto/negative 'neg\.csv:2:1: error: t: .*a negative value fits no format' neg.yaml
printf 't_ms_us\n1\n' >"$T/units.csv"
scn units.yaml units.csv
run_bad auto/two-units 'units\.csv:2:1: error: t_ms_us: .*the header names two different units' units.yaml
printf 'when\nsoon\n' >"$T/word.csv"
scn word.yaml word.csv
run_bad auto/not-a-time 'word\.csv:2:1: error: when: time_format auto cannot decide from "soon" \(header .when.\): neither an ISO 8601 time nor a number' word.yaml
# later rows that contradict the decision, named by their line
printf 't\n0\n5\n1704067200\n' >"$T/mixed.csv"
scn mixed.yaml mixed.csv
run_bad auto/offsets-then-epoch 'mixed\.csv:4:1: error: t: "1704067200" contradicts time_format auto.s choice offset_s \(from "0" at line 2\): expected offset_s from 0 to below 316227766' mixed.yaml
printf 't\n1704067200\n1704067200000\n' >"$T/mixed2.csv"
scn mixed2.yaml mixed2.csv
run_bad auto/seconds-then-ms 'mixed2\.csv:3:1: error: t: "1704067200000" contradicts time_format auto.s choice epoch_s' mixed2.yaml
bad trace-stats/auto-seconds-then-ms 3 'mixed2\.csv:3:1: error: t: .*contradicts' \
    -- trace-stats "$T/mixed2.csv"
printf 't\n2024-01-01T00:00:00Z\n1704067200\n' >"$T/mixed3.csv"
scn mixed3.yaml mixed3.csv
run_bad auto/iso-then-number 'mixed3\.csv:3:1: error: t: expected an ISO 8601 time, got "1704067200" \(time_format auto chose this format at the first row\)' mixed3.yaml

# --- 5: ragged rows --------------------------------------------------------
printf 't,n\n1,2\n2,3,4\n' >"$T/extra.csv"
scn extra.yaml extra.csv
run_bad ragged/extra-field 'extra\.csv:3: error: row has 3 fields, expected 2 \(one per header column\)$' extra.yaml
printf 't,n,m\n1,2,3\n2\n' >"$T/short.csv"
scn short.yaml short.csv
run_bad ragged/missing-field 'short\.csv:3: error: row has 1 field, expected 3 \(one per header column\)$' short.yaml
printf 't,count\n0,1\n60,2,9\n' >"$T/cextra.csv"
scn cextra.yaml cextra.csv 'format: counts'
run_bad ragged/counts-extra-field 'cextra\.csv:3: error: row has 3 fields, expected 2' cextra.yaml
printf 'f,480,481\na,1,2\nb,1\n' >"$T/wshort.csv"
scn wshort.yaml wshort.csv 'format: counts_wide'
run_bad ragged/counts-wide-short 'wshort\.csv:3: error: row has 2 fields, expected 3' wshort.yaml
bad trace-stats/ragged 3 'extra\.csv:3: error: row has 3 fields' \
    -- trace-stats "$T/extra.csv"

# --- 10: text echoed from a trace has its control bytes escaped ------------
printf '\033[31mred\033[0m,x\n1,2\nzz\033[2J,3\n' >"$T/ansi.csv"
scn ansi.yaml ansi.csv
run_bad escape/header-and-field 'ansi\.csv:3:1: error: \\x1b\[31mred\\x1b\[0m: expected an offset in seconds \(offset_s\), got "zz\\x1b\[2J"' ansi.yaml
bad escape/column-list 3 'ansi\.csv:1: error: arrivals\.trace\.time_column: no column "nope" \(columns: \\x1b\[31mred\\x1b\[0m, x\)' \
    -- trace-stats --time-column nope "$T/ansi.csv"
printf 'f,\033]0;pwned\007480\na,x\n' >"$T/ansiw.csv"
bad escape/counts-wide-header 3 'ansiw\.csv:2:2: error: \\x1b\]0;pwned\\x07480: expected a count' \
    -- trace-stats --format counts_wide --first-count-column 2 "$T/ansiw.csv"

# --- 12: trace-stats with more buckets than it holds -----------------------
# 1.5e12 s at 1 us made the old bucket array size wrap to 0: double free
printf 't,count\n0,1\n1e11,1\n' >"$T/far.csv"
bad trace-stats/interval-1us-huge-span 3 'far\.csv:3: error: --interval: this row is 1e\+11 s after the first: with buckets of 1e-06 s that is more than 16777216 buckets; use a longer --interval' \
    -- trace-stats "$T/far.csv" --format counts --time-format offset_s --interval 1us
printf 't,count\n0,1\n1.5e12,1\n' >"$T/far2.csv"
bad trace-stats/interval-1us-double-free 3 'far2\.csv:3:1: error: t: .*arrival times beyond 1e11 s \(3,170 years\) are refused' \
    -- trace-stats "$T/far2.csv" --format counts --time-format offset_s --interval 1us
printf 't\n0\n1e10\n' >"$T/longev.csv"
bad trace-stats/events-span-too-long 3 'longev\.csv:3: error: trace-stats: this row is 1e\+10 s after the first: more than 16777216 one-minute buckets' \
    -- trace-stats "$T/longev.csv" --time-format offset_s

# --- 14: time arithmetic that would overflow -------------------------------
printf 'f,480,481\na,1,2\n' >"$T/wide.csv"
scn wide.yaml wide.csv 'format: counts_wide' 'interval: 100000000000s'
run_bad overflow/counts-wide-interval 'wide\.csv:1: error: arrivals\.trace\.interval: 2 count columns of 1e\+11 s span 2e\+11 s: arrival times beyond 1e11 s \(3,170 years\) are refused' wide.yaml
bad trace-stats/counts-wide-interval 3 'wide\.csv:1: error: arrivals\.trace\.interval: 2 count columns' \
    -- trace-stats "$T/wide.csv" --format counts_wide --interval 100000000000s
printf 't\n0\n100000000000.5\n' >"$T/late.csv"
scn late.yaml late.csv 'time_format: offset_s'
run_bad overflow/offset-beyond-1e11s 'late\.csv:3:1: error: t: "100000000000\.5" is 1e\+11 s after time zero: arrival times beyond 1e11 s \(3,170 years\) are refused' late.yaml
printf 't\n0\n1\n' >"$T/ok.csv"
scn scale.yaml ok.csv 'scale: 1e300'
run_bad overflow/scale-huge 'scale\.yaml:[0-9]+:[0-9]+: error: arrivals\.trace\.scale: expected at most 1e6 \(copies of each trace row\), got 1e\+300' scale.yaml
scn speed.yaml ok.csv 'speedup: 1e-300'
run_bad overflow/speedup-tiny 'ok\.csv:3: error: arrivals\.trace\.speedup: 1e-300 puts this row at .* s: arrival times beyond 1e11 s \(3,170 years\) are refused' speed.yaml
