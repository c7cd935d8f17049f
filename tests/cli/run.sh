#!/bin/sh
# tests/cli/run.sh - `burstsim run` and `validate` end to end: exit codes,
# the one-line error for each kind of bad input (and that no results folder
# is left behind), the default scenario, and the LLM code trace replay.
# Prints PASS:/FAIL:/SKIP: lines (see tests/run.sh).
set -u
B=${BURSTSIM:-build/burstsim}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
TRACE=../shared/data/traces/AzureLLMInferenceTrace_code.csv

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }

# column NAME FILE: the value of column NAME in the first data row of a CSV
# whose fields contain no commas.
column() {
    awk -F, -v k="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i }
                        NR == 2 { print $c }' "$2"
}

# expect_error NAME EXIT PATTERN -- ARGS...: run burstsim ARGS, expect exit
# code EXIT and exactly one stderr line matching the extended regex PATTERN
# (usage errors, exit 2, may add a second line "try 'burstsim --help'").
expect_error() {
    name=$1 want=$2 pat=$3; shift 4
    "$B" "$@" >"$T/out" 2>"$T/err"; rc=$?
    n=$(grep -vc "^try 'burstsim" "$T/err")
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit $rc, expected $want; stderr: $(cat "$T/err")"
    elif [ "$n" -ne 1 ]; then
        fail "$name" "expected one stderr line, got $n: $(cat "$T/err")"
    elif ! grep -Eq "$pat" "$T/err"; then
        fail "$name" "stderr '$(cat "$T/err")' does not match '$pat'"
    else
        pass "$name"
    fi
}

# A small valid scenario to break in different ways.
good() {
    cat <<'Y'
name: small
replications: 2
horizon: 10m
arrivals:
  process: {kind: poisson, rate: 1/s}
scale:
  polling_interval: 10s
  max_executions: 5
  rules: [{name: q, type: azure-queue, queue_length: 1}]
job:
  startup: 5s
  duration: {dist: exponential, mean: 2s}
output: {timeseries: true, plots: false}
Y
}

good >"$T/good.yaml"
"$B" run "$T/good.yaml" -o "$T/res-good" -q >"$T/out" 2>"$T/err"; rc=$?
if [ "$rc" -eq 0 ] && [ -f "$T/res-good/summary.csv" ] && \
   [ -f "$T/res-good/replications.csv" ] && [ -f "$T/res-good/timeseries.csv" ] && \
   [ -f "$T/res-good/summary.json" ] && [ ! -s "$T/out" ]; then
    pass "run/results-folder"
else
    fail "run/results-folder" "exit $rc: $(cat "$T/err")"
fi
if ls -d "$T"/res-good.tmp-* >/dev/null 2>&1; then
    fail "run/no-staging-left" "a staging folder was left behind"
else
    pass "run/no-staging-left"
fi

# --- sizes and prices whose products would overflow a bill (issue 11) ----
# cpu 1e308 x replica-seconds is inf: refused before running, at the key.
sed 's/^  startup: 5s/  startup: 5s\n  cpu: 1e308/' "$T/good.yaml" >"$T/cpu.yaml"
expect_error bad/cpu-1e308 3 '^.*cpu\.yaml:12:8: error: job\.cpu: expected at most 1024' -- \
    run "$T/cpu.yaml" -o "$T/res-cpu" -q
printf 'cost: {vcpu_second: 1e308}\n' >>"$T/cpu.yaml"
sed -i '/cpu: 1e308/d' "$T/cpu.yaml"
expect_error bad/price-1e308 3 'error: cost\.vcpu_second: expected at most 1 ' -- \
    run "$T/cpu.yaml" -o "$T/res-cpu" -q
[ -e "$T/res-cpu" ] && fail bad/price-no-results "results left" || pass bad/price-no-results

# --- bad input: exit 3, one file:line:col: error: line, no results -------
sed 's/^  startup: 5s/  startup: 5s\n  cpux: 1/' "$T/good.yaml" >"$T/unknown.yaml"
expect_error bad/unknown-key 3 '^.*unknown\.yaml:12:3: error: job\.cpux' -- \
    run "$T/unknown.yaml" -o "$T/res-bad"

sed 's/polling_interval: 10s/polling_interval: 10 parsecs/' "$T/good.yaml" >"$T/unit.yaml"
expect_error bad/unit 3 '^.*unit\.yaml:7:21: error: scale\.polling_interval' -- \
    run "$T/unit.yaml" -o "$T/res-bad"

sed 's/startup: 5s/startup: -5s/' "$T/good.yaml" >"$T/neg.yaml"
expect_error bad/negative-duration 3 '^.*neg\.yaml:11:12: error: job\.startup' -- \
    run "$T/neg.yaml" -o "$T/res-bad"

cat >"$T/notrace.yaml" <<'Y'
arrivals:
  trace:
    path: no-such-trace.csv
Y
expect_error bad/missing-trace 3 '^.*notrace\.yaml:3:11: error: arrivals\.trace\.path: .*no-such-trace\.csv' -- \
    run "$T/notrace.yaml" -o "$T/res-bad"

printf 'TIMESTAMP,n\n2023-11-16 18:17:03.1,1\n2023-11-16 18:17:05.0,1\n2023-11-16 18:17:04.0,1\n' >"$T/unsorted.csv"
printf 'arrivals:\n  trace:\n    path: unsorted.csv\n' >"$T/unsorted.yaml"
expect_error bad/unsorted-trace 3 '^.*unsorted\.csv:4: error: timestamp earlier than the previous row' -- \
    run "$T/unsorted.yaml" -o "$T/res-bad"

expect_error bad/missing-scenario 3 'no-such\.yaml.*error' -- run "$T/no-such.yaml"
expect_error bad/cross-key 3 '^--set:2:9: error: job\.cpu: a replica of 8 vCPU does not fit' -- \
    run "$T/good.yaml" --set cost.plan=dedicated --set job.cpu=8 --set job.memory=16Gi -o "$T/res-bad"

printf 'name: ../../escape\n' | cat - "$T/good.yaml" | grep -v '^name: small' >"$T/climb.yaml"
expect_error bad/name-climbs-out 3 "^.*climb\.yaml:1:7: error: name: expected a plain name" -- \
    run "$T/climb.yaml" -o "$T/res-bad"
{ cat "$T/good.yaml"; printf -- '---\nname: second\n'; } >"$T/two.yaml"
expect_error bad/two-documents 3 '^.*two\.yaml:[0-9]+:1: error: expected one YAML document' -- \
    run "$T/two.yaml" -o "$T/res-bad"
expect_error bad/index-past-end 3 "^--set:1:7: error: scale\.rules\[1\]\.queue_length: rules has no item \[1\]" -- \
    run "$T/good.yaml" --set 'scale.rules[1].queue_length=2' -o "$T/res-bad"
expect_error bad/too-many-samples 3 '^--set:1:17: error: sample_interval: expected at most 1e7 time-series samples' -- \
    run "$T/good.yaml" --set sample_interval=10us -o "$T/res-bad"

if [ -e "$T/res-bad" ] || ls -d "$T"/res-bad.tmp-* >/dev/null 2>&1; then
    fail "bad/no-results-left" "a failed run left $(ls -d "$T"/res-bad*)"
else
    pass "bad/no-results-left"
fi

# --- -o never replaces what burstsim did not write ---------------------------
mkdir -p "$T/precious" && echo keep >"$T/precious/important.txt" && : >"$T/afile"
expect_error out/foreign-folder 2 'precious: error: results folder: exists and was not written by burstsim' -- \
    run "$T/good.yaml" -o "$T/precious" -q
expect_error out/plain-file 2 'afile: error: results folder: exists and is not a folder' -- \
    run "$T/good.yaml" -o "$T/afile" -q
if [ "$(cat "$T/precious/important.txt")" = keep ] && [ -f "$T/afile" ]; then
    pass "out/kept-intact"
else
    fail "out/kept-intact" "an existing file was touched"
fi
# A staging folder left by a killed run (its pid is gone) is cleaned up.
mkdir -p "$T/res-good.tmp-999999999/parts"
: >"$T/res-good.tmp-999999999/.burstsim-staging"
"$B" run "$T/good.yaml" -o "$T/res-good" -q 2>"$T/err"
if [ $? -eq 0 ] && [ ! -e "$T/res-good.tmp-999999999" ]; then
    pass "out/stale-staging-removed"
else
    fail "out/stale-staging-removed" "$(cat "$T/err")"
fi

# --- an interrupted run leaves nothing behind ---------------------------------
"$B" run scenarios/default.yaml --set horizon=2000h --set replications=100 \
    --set output.timeseries=false -o "$T/res-killed" -q 2>"$T/err" &
pid=$!
sleep 1
kill -TERM "$pid" 2>/dev/null
wait "$pid"; rc=$?
if [ "$rc" -eq 143 ] && ! ls -d "$T"/res-killed* >/dev/null 2>&1 && \
   grep -q 'interrupted (SIGTERM); no results written' "$T/err"; then
    pass "run/interrupted-cleans-up"
else
    fail "run/interrupted-cleans-up" "exit $rc, left: $(ls -d "$T"/res-killed* 2>/dev/null), $(cat "$T/err")"
fi

# --- a Poisson rate of 0 means no arrival (and ends) ------------------------
if timeout 20 "$B" run "$T/good.yaml" --set arrivals.process.rate=0/s -o "$T/res-zero" -q 2>"$T/err" && \
   [ "$(column messages "$T/res-zero/summary.csv")" = 0 ]; then
    pass "run/zero-rate"
else
    fail "run/zero-rate" "$(cat "$T/err")"
fi

# --- usage: exit 2 ----------------------------------------------------------
expect_error usage/unknown-option 2 "unknown option '--frobnicate'" -- run "$T/good.yaml" --frobnicate
expect_error usage/no-scenario 2 'missing SCENARIO' -- run
expect_error usage/unknown-command 2 "unknown command 'jump'" -- jump
"$B" --help >"$T/out" 2>&1 && grep -q '^  3  invalid scenario or trace' "$T/out" \
    && pass usage/help-exit-codes || fail usage/help-exit-codes "--help lacks the exit codes"
"$B" --version | grep -Eq '^burstsim [0-9]+\.[0-9]+\.[0-9]+$' \
    && pass usage/version || fail usage/version "bad --version output"

# --- a CPU / memory pair ACA would refuse: a warning, not an error -------
if "$B" validate "$T/good.yaml" --set job.cpu=0.3 >/dev/null 2>"$T/err" && \
   grep -q '^--set:1:9: warning: job.cpu / job.memory: 0.3 vCPU / 1 GiB is not an allowed ACA Consumption combination' "$T/err"; then
    pass "validate/cpu-memory-warning"
else
    fail "validate/cpu-memory-warning" "$(cat "$T/err")"
fi

# --- validate prints the resolved scenario, which loads again -------------
if "$B" validate "$T/good.yaml" >"$T/resolved.yaml" 2>"$T/err" && \
   grep -q '^  visibility_timeout: 30s' "$T/resolved.yaml" && \
   "$B" validate "$T/resolved.yaml" >"$T/resolved2.yaml" 2>>"$T/err" && \
   cmp -s "$T/resolved.yaml" "$T/resolved2.yaml"; then
    pass "validate/defaults-and-round-trip"
else
    fail "validate/defaults-and-round-trip" "$(cat "$T/err")"
fi

# --- the bundled default scenario ------------------------------------------
if "$B" run scenarios/default.yaml -o "$T/res-default" --replications 2 >"$T/out" 2>"$T/err"; then
    m=$(column messages "$T/res-default/summary.csv")
    c=$(column completed "$T/res-default/summary.csv")
    u=$(column unfinished "$T/res-default/summary.csv")
    if [ -n "$m" ] && awk -v m="$m" -v c="$c" -v u="$u" 'BEGIN { exit !(m > 0 && c + u == m) }'; then
        pass "default/runs"
    else
        fail "default/runs" "messages=$m completed=$c unfinished=$u"
    fi
else
    fail "default/runs" "$(cat "$T/err")"
fi

# --- replay of the Azure LLM code trace --------------------------------------
if [ ! -f "$TRACE" ]; then
    echo "SKIP: llm/replay-8819: $TRACE not found"
else
    if "$B" run scenarios/llm-code-replay.yaml --set arrivals.trace.path=$TRACE \
          -o "$T/res-llm" --replications 2 -q 2>"$T/err"; then
        m=$(column messages "$T/res-llm/summary.csv")
        c=$(column completed "$T/res-llm/summary.csv")
        u=$(column unfinished "$T/res-llm/summary.csv")
        bad=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "messages") a = i;
                           if ($i == "completed") b = i; if ($i == "unfinished") d = i } }
                       NR > 1 && ($a != 8819 || $b + $d != 8819) { n++ } END { print n + 0 }' \
              "$T/res-llm/replications.csv")
        if [ "$m" = 8819 ] && [ "$bad" -eq 0 ]; then
            pass "llm/replay-8819"
        else
            fail "llm/replay-8819" "messages=$m completed=$c unfinished=$u, $bad bad replications"
        fi
    else
        fail "llm/replay-8819" "$(cat "$T/err")"
    fi
fi

# --- the progress bar moves within a long replication (issue 11.9) -------
# One replication of the M/M/10 check over 100,000 s (about 5 M events):
# on a terminal (script(1) gives one) the bar must show a percentage above
# 0 while the item counter is still 0/1, i.e. from simulated time.
if command -v script >/dev/null 2>&1; then
    script -qc "'$B' run tests/scenarios/mmc.yaml --replications 1 --set horizon=100000s -o '$T/prog' -j 1" /dev/null \
        >"$T/tty" 2>&1 </dev/null
    if tr '\r' '\n' <"$T/tty" | grep -Eq '\] 0/1 +([1-9][0-9]?) %'; then
        pass "run/progress-within-replication"
    else
        fail "run/progress-within-replication" "$(tr '\r' '\n' <"$T/tty" | tail -n 3)"
    fi
else
    echo "SKIP: run/progress-within-replication: no script(1)"
fi
