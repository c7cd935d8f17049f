#!/bin/sh
# tests/cli/bad_scenario.sh - the bad-input catalogue of issue 11 for
# scenario files and command-line options: each case runs burstsim on one
# bad input and asserts the exit code (README "Exit status": 2 usage, 3
# invalid scenario), the one error line `file:line:col: error: key: ...`
# (or `burstsim: run: --option: ...`) naming the key or option, that no
# results folder is left behind and that no other file in the scratch
# folder was touched. Then the round trip of `validate` (its YAML loads to
# the same scenario: validate -> reload -> validate is byte-identical) for
# every bundled scenario and a set of nasty strings.
# Prints PASS:/FAIL:/SKIP: lines (see tests/run.sh).
set -u
B=${BURSTSIM:-build/burstsim}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
TRACES=${TRACES:-../shared/data/traces}

pass() { echo "PASS: bad/$1"; }
fail() { echo "FAIL: bad/$1: $2"; }

mkdir "$T/w"
echo "keep me" >"$T/w/unrelated.txt"

# A scenario is HEAD plus the case's lines.
HEAD='horizon: 10m
drain_limit: 1h
arrivals:
  process: {kind: poisson, rate: 1/s}
output: {timeseries: false, plots: false}'

# case NAME EXIT PATTERN BODY [ARGS...]: write HEAD + BODY to s.yaml, run
# `burstsim run s.yaml -q -o OUT ARGS`; expect exit EXIT, exactly one error
# line (besides the usage hint) matching the extended regex PATTERN, no
# OUT, and unrelated.txt unchanged with nothing else in the folder.
case_() {
    name=$1 want=$2 pat=$3 body=$4; shift 4
    printf '%s\n%s\n' "$HEAD" "$body" >"$T/w/s.yaml"
    (cd "$T/w" && "$B" run s.yaml -q -o out "$@") >"$T/out" 2>"$T/err"
    rc=$?
    n=$(grep -vc "^try 'burstsim" "$T/err")
    left=$(cd "$T/w" && ls | tr '\n' ' ')
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit $rc, expected $want: $(head -n 2 "$T/err")"
    elif [ "$n" -ne 1 ]; then
        fail "$name" "expected one error line, got $n: $(cat "$T/err")"
    elif ! grep -Eq "$pat" "$T/err"; then
        fail "$name" "'$(head -n 1 "$T/err")' does not match '$pat'"
    elif [ "$left" != "s.yaml unrelated.txt " ]; then
        fail "$name" "folder now holds: $left"
    elif [ "$(cat "$T/w/unrelated.txt")" != "keep me" ]; then
        fail "$name" "unrelated.txt was changed"
    else
        pass "$name"
    fi
    rm -f "$T/w/s.yaml"
}

# --- integers that do not fit (defect 15) ---------------------------------
case_ int/replications-2^32 3 '^s\.yaml:6:15: error: replications: expected an integer in \[1, 1000000\], got "4294967296"$' \
    'replications: 4294967296'
case_ int/replications-huge 3 '^s\.yaml:6:15: error: replications: expected an integer in \[1, 1000000\]' \
    'replications: 99999999999999999999999'
case_ int/max-executions-2^32 3 '^s\.yaml:6:25: error: scale\.max_executions: expected an integer in \[1, 2147483647\]' \
    'scale: {max_executions: 4294967296}'
case_ int/min-executions-negative-huge 3 'scale\.min_executions: expected an integer in \[0, 2147483647\]' \
    'scale: {min_executions: -99999999999999999999}'
case_ int/queue-length-2^31 3 'scale\.rules\[0\]\.queue_length: expected an integer in \[1, 2147483647\]' \
    'scale: {rules: [{queue_length: 2147483648}]}'
case_ int/parallelism-2^63 3 'job\.parallelism: expected an integer in \[1, 2147483647\]' \
    'job: {parallelism: 9223372036854775808}'
case_ int/baseline-replicas 3 'baseline\.replicas: expected an integer in \[1, 2147483647\]' \
    'baseline: {replicas: 4294967297}'
case_ int/max-nodes 3 'cost\.dedicated\.max_nodes: expected an integer in \[1, 2147483647\]' \
    'cost: {dedicated: {max_nodes: 4294967297}}'
case_ int/seed-2^32 3 'seed: expected an integer in \[0, 4294967295\]' \
    'seed: 4294967296'
case_ int/replications-float 3 'replications: expected an integer, got "2\.5"' \
    'replications: 2.5'
case_ int/cli-replications-2^32 2 '^burstsim: run: --replications: expected an integer' \
    '' --replications 4294967296
case_ int/cli-seed-2^32 2 '^burstsim: run: --seed: expected an integer from 0 to 4294967295' \
    '' --seed 4294967296
case_ int/cli-jobs-huge 2 '^burstsim: run: -j: expected a thread count' \
    '' -j 99999999999999999999
case_ int/cli-shard-huge 2 '^burstsim: run: --shard: expected I/N' \
    '' --shard 1/99999999999999999999
case_ int/set-replications-2^32 3 '^--set:1:14: error: replications: expected an integer in \[1, 1000000\]' \
    '' --set replications=4294967296

# --- keys that do not apply, duplicates (defect 5) ------------------------
case_ apply/idle-exit-one-message 3 '^s\.yaml:6:18: error: job\.idle_exit: applies only to job\.messages_per_replica 0 \(drain mode\), this job takes 1 message per replica' \
    'job: {idle_exit: 30s}'
case_ apply/idle-exit-n-messages 3 'job\.idle_exit: applies only to job\.messages_per_replica 0 \(drain mode\), this job takes 5 messages' \
    'job: {idle_exit: 30s, messages_per_replica: 5}'
case_ apply/idle-exit-set 3 '^--set:1:15: error: job\.idle_exit: applies only to job\.messages_per_replica 0' \
    '' --set job.idle_exit=10s
case_ apply/idle-exit-vary 3 'job\.idle_exit: applies only to job\.messages_per_replica 0' \
    'job: {idle_exit: 30s, messages_per_replica: 0}' --vary job.messages_per_replica=0,1
case_ dup/rule-names 3 '^s\.yaml:9:14: error: scale\.rules\[1\]\.name: duplicate rule name "q", also the name of scale\.rules\[0\] \(s\.yaml:8:14\)' \
    'scale:
  rules:
    - {name: q}
    - {name: q}'
case_ dup/rule-default-names 3 'duplicate rule name "queue", also the name of scale\.rules\[0\]' \
    'scale: {rules: [{queue_length: 2}, {queue_length: 3}]}'
case_ dup/rule-names-third 3 'scale\.rules\[2\]\.name: duplicate rule name "a", also the name of scale\.rules\[0\]' \
    'scale: {rules: [{name: a}, {name: b}, {name: a}]}'
case_ dup/vary-value 2 '^burstsim: run: --vary: scale\.max_executions: value "5" given twice \(values 1 and 2\)$' \
    '' --vary scale.max_executions=5,5
case_ dup/vary-value-later 2 '^burstsim: run: --vary: job\.cpu: value "1" given twice \(values 1 and 3\)$' \
    '' --vary job.cpu=1,2,1
case_ dup/vary-empty-value 2 '^burstsim: run: --vary: scale\.max_executions: value 2 is empty$' \
    '' --vary scale.max_executions=5,,6
case_ dup/sweep-value 3 '^s\.yaml:7:29: error: sweep\.scale\.max_executions\[1\]: value 5 given twice \(also sweep\.scale\.max_executions\[0\]\)' \
    'sweep:
  scale.max_executions: [5, 5]'
case_ dup/sweep-dist-value 3 'sweep\.job\.duration\[1\]: value \{dist: fixed, value: 3s\} given twice' \
    'sweep:
  job.duration: [{dist: fixed, value: 3s}, {dist: fixed, value: 3s}]'
# the same value spelled differently: compared by the resolved scenario
case_ dup/vary-same-value-spelled 2 '^burstsim: run: --vary: scale\.polling_interval: values "30s" and "0\.5m" are the same value \(values 1 and 2\)' \
    '' --vary scale.polling_interval=30s,0.5m
case_ dup/vary-same-value-unit 2 '^burstsim: run: --vary: scale\.polling_interval: values "30s" and "30" are the same value' \
    '' --vary scale.polling_interval=30s,30
case_ dup/sweep-same-value-spelled 3 '^s\.yaml:7:33: error: sweep\.scale\.polling_interval\[1\]: value 0\.5m is the same value as 30s' \
    'sweep:
  scale.polling_interval: [30s, 0.5m]'
# --set of a varied key would be silently ignored
case_ dup/set-of-varied-key 2 '^burstsim: run: --set scale\.max_executions: the key is also varied \(--vary / sweep:\); give it once$' \
    '' --vary scale.max_executions=5,10 --set scale.max_executions=20
case_ dup/set-of-swept-key 2 '^burstsim: run: --set scale\.max_executions: the key is also varied' \
    'sweep:
  scale.max_executions: [5, 10]' --set scale.max_executions=20
# --vary splits on commas outside brackets and quotes only
case_ vary/flow-value-unbalanced 2 '^burstsim: run: --vary: unbalanced brackets or quotes in "job\.duration=\{dist: fixed, value: 1s,2s"$' \
    '' --vary 'job.duration={dist: fixed, value: 1s,2s'
(cd "$T/w" && printf '%s\n' "$HEAD" >s.yaml &&
    "$B" run s.yaml -q -o out --vary 'job.duration={dist: fixed, value: 1s},{dist: fixed, value: 2s}' >/dev/null 2>"$T/err")
if [ "$(cut -d, -f1 "$T/w/out/summary.csv" 2>/dev/null | tr '\n' ' ')" = "config c0 c1 " ] &&
   grep -q '^c1,"{dist: fixed, value: 2s}",' "$T/w/out/summary.csv"
then pass vary/flow-value-commas
else fail vary/flow-value-commas "$(cat "$T/err")"; fi
rm -rf "$T/w/out" "$T/w/s.yaml"
# -o naming no folder to create is a usage error naming the value
case_ out/empty 2 '^burstsim: run: -o: "" cannot be a results folder' '' -o ''
case_ out/root 2 '^burstsim: run: -o: "/" cannot be a results folder' '' -o /

# --- impossible models (defect 6) ----------------------------------------
case_ model/timeout-below-fixed-startup 3 '^s\.yaml:6:37: error: job\.replica_timeout: expected more than the start-up time .*0 completions$' \
    'job: {startup: 2m, replica_timeout: 1m}'
case_ model/timeout-equal-fixed-startup 3 'job\.replica_timeout: expected more than the start-up time' \
    'job: {startup: 1m, replica_timeout: 1m}'
case_ model/timeout-below-uniform-startup 3 'job\.replica_timeout: expected more than the start-up time' \
    'job: {startup: {dist: uniform, min: 2m, max: 3m}, replica_timeout: 1m}'
case_ model/timeout-set 3 '^--set:1:21: error: job\.replica_timeout: expected more than the start-up time' \
    'job: {startup: 30s}' --set job.replica_timeout=10s
case_ model/poll-sub-second 3 '^s\.yaml:6:27: error: scale\.polling_interval: expected a whole number of seconds >= 1s \(ACA and KEDA poll in whole seconds\), got 500ms; for a theoretical model set `model: theoretical`' \
    'scale: {polling_interval: 500ms}'
case_ model/poll-fractional 3 'scale\.polling_interval: expected a whole number of seconds >= 1s .*got 1500ms' \
    'scale: {polling_interval: 1.5s}'
case_ model/poll-1us 3 'scale\.polling_interval: expected a whole number of seconds >= 1s .*got 1us' \
    'scale: {polling_interval: 1us}'
case_ model/poll-sweep 3 'scale\.polling_interval: expected a whole number of seconds' \
    'sweep:
  scale.polling_interval: [10s, 100ms]'
case_ model/poll-vary 3 'scale\.polling_interval: expected a whole number of seconds' \
    '' --vary scale.polling_interval=1s,250ms
case_ model/unknown-model 3 '^s\.yaml:6:8: error: model: expected one of aca, theoretical, got "queueing"' \
    'model: queueing'

# --- messages that point at the right place (defect 10) -------------------
case_ where/sweep-value 3 '^s\.yaml:7:29: error: scale\.max_executions: expected an integer >= 1, got "0"$' \
    'sweep:
  scale.max_executions: [5, 0]'
case_ where/sweep-value-block 3 '^s\.yaml:9:7: error: job\.cpu: expected a number > 0, got "-1"$' \
    'sweep:
  job.cpu:
    - 1
    - -1'
# --set:N counts --set options only, in run (--replications/--seed first)
# as in validate
case_ where/set-index-after-replications 3 '^--set:1:9: error: job\.cpu: expected a number' \
    '' --replications 2 --set job.cpu=x
case_ where/set-index-second 3 '^--set:2:9: error: job\.cpu: expected a number' \
    '' --seed 3 --replications 2 --set job.cpu=1 --set job.cpu=x
printf '%s\n' "$HEAD" >"$T/v.yaml"
"$B" validate "$T/v.yaml" --set job.cpu=1 --set job.cpu=x >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 3 ] && grep -q '^--set:2:9: error: job\.cpu' "$T/err"
then pass where/set-index-validate
else fail where/set-index-validate "exit $rc: $(cat "$T/err")"; fi
case_ where/vary-value 3 '^--vary:1: error: scale\.max_executions: expected an integer, got "x"$' \
    '' --vary scale.max_executions=5,x
case_ where/empty-list 3 'scale\.rules: expected a non-empty list, got an empty list$' \
    'scale: {rules: []}'
case_ where/empty-sweep-list 3 'sweep\.scale\.max_executions: expected a non-empty list of values like \[5, 10, 20\], got an empty list$' \
    'sweep: {scale.max_executions: []}'
printf '%s\ndescription: "caf\351"\n' "$HEAD" >"$T/utf8.yaml"
"$B" validate "$T/utf8.yaml" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 3 ] && grep -Eq '^.*utf8\.yaml:6:19: error: YAML syntax error: invalid trailing UTF-8 octet' "$T/err"
then pass where/invalid-utf8-line-col
else fail where/invalid-utf8-line-col "exit $rc: $(cat "$T/err")"; fi
printf 'horizon: 10m\narrivals:\n  trace: {path: missing.csv}\n' >"$T/w/t.yaml"
"$B" validate "$T/w/t.yaml" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 3 ] && grep -q 'missing\.csv' "$T/err"
then pass where/validate-missing-trace-exit-3
else fail where/validate-missing-trace-exit-3 "exit $rc: $(cat "$T/err")"; fi
rm -f "$T/w/t.yaml"
python3 -c "print('a: ' + '[' * 100000 + ']' * 100000)" >"$T/deep.yaml" 2>/dev/null ||
    awk 'BEGIN { s = "a: "; for (i = 0; i < 100000; i++) s = s "["; for (i = 0; i < 100000; i++) s = s "]"; print s }' >"$T/deep.yaml"
start=$(date +%s)
"$B" validate "$T/deep.yaml" >/dev/null 2>"$T/err"; rc=$?
took=$(( $(date +%s) - start ))
if [ "$rc" -eq 3 ] && [ "$took" -le 2 ] && grep -q 'nested too deeply' "$T/err"
then pass where/deep-yaml-fast
else fail where/deep-yaml-fast "exit $rc in ${took}s: $(head -c 200 "$T/err")"; fi

# --- fixed arrays fed by input (defect 11) --------------------------------
many=""; i=0
while [ $i -lt 300 ]; do many="$many --seed $i"; i=$((i + 1)); done
# shellcheck disable=SC2086
case_ arrays/300-seeds-bad-last 2 '^burstsim: run: --seed: expected an integer from 0 to 4294967295, got "x"' \
    '' $many --seed x
many=""; i=0
while [ $i -lt 300 ]; do many="$many --set job.cpu=1"; i=$((i + 1)); done
# shellcheck disable=SC2086
case_ arrays/300-sets-bad-last 3 '^--set:301:' \
    '' $many --set job.cpu=x
many=""; i=0
while [ $i -lt 100 ]; do many="$many --vary scale.max_executions=$((i + 1))"; i=$((i + 1)); done
# shellcheck disable=SC2086
case_ arrays/100-varys-then-dup 2 '^burstsim: run: --vary: job\.cpu: value "1" given twice' \
    '' $many --vary job.cpu=1,1
many=""; i=0
while [ $i -lt 300 ]; do many="$many --replications 2 --seed 1"; i=$((i + 1)); done
# shellcheck disable=SC2086
if (cd "$T/w" && printf '%s\n' "$HEAD" >s.yaml && "$B" run s.yaml -q -o out $many >/dev/null 2>"$T/err") &&
   [ -f "$T/w/out/summary.csv" ]; then pass arrays/300-seeds-run
else fail arrays/300-seeds-run "$(cat "$T/err")"; fi
rm -rf "$T/w/out" "$T/w/s.yaml"

# --- validate round trip (defect 16) ---------------------------------------
# validate -> reload -> validate gives identical text: the printed YAML is
# the same scenario again, whatever the strings hold.
round_trip() { # NAME FILE [ARGS...]
    name=$1 f=$2; shift 2
    if "$B" validate "$f" "$@" >"$T/r1.yaml" 2>"$T/err" &&
       "$B" validate "$T/r1.yaml" >"$T/r2.yaml" 2>>"$T/err" &&
       cmp -s "$T/r1.yaml" "$T/r2.yaml"; then
        pass "round-trip/$name"
    else
        fail "round-trip/$name" "$(head -n 3 "$T/err"; diff "$T/r1.yaml" "$T/r2.yaml" 2>/dev/null | head -n 4)"
    fi
}
for f in scenarios/*.yaml tests/golden/extra/*.yaml tests/scenarios/*.yaml; do
    n=$(basename "$f" .yaml)
    case $n in
    llm-code-replay) t="$TRACES/AzureLLMInferenceTrace_code.csv" ;;
    functions-queue-2019) t="$TRACES/azure_functions_2019_sample500/invocations.csv" ;;
    *) t="" ;;
    esac
    if [ -z "$t" ]; then round_trip "$n" "$f"
    elif [ -f "$t" ]; then round_trip "$n" "$f" --set "arrivals.trace.path=$(cd "$(dirname "$t")" && pwd)/$(basename "$t")"
    else echo "SKIP: bad/round-trip/$n: no $t"; fi
done
# nasty strings: quotes, colons, '#', U+2028, leading spaces, yes/no/~,
# numbers as strings, a backslash, a tab, a newline, non-ASCII
i=0
for s in '"quoted" and '"'"'single'"'" 'a: b' 'x # not a comment' \
    "$(printf 'line\342\200\250sep')" '  leading spaces' 'yes' 'no' '~' \
    '5' '1e3' 'back\slash' "$(printf 'tab\there')" 'null' '- dash' \
    '[not, a, list]' '{not: map}' '&anchor *alias' '%percent' '@at `tick`' \
    "caf$(printf '\303\251') \342\202\254"; do
    i=$((i + 1))
    printf '%s\nname: s%d\nscale:\n  rules:\n    - {name: r}\n' "$HEAD" "$i" >"$T/n.yaml"
    # the string goes in as a double-quoted YAML scalar
    esc=$(printf '%s' "$s" | sed 's/\\/\\\\/g; s/"/\\"/g; s/	/\\t/g')
    printf 'description: "%s"\n' "$esc" >>"$T/n.yaml"
    sed -i "s/{name: r}/{name: \"$(printf '%s' "$esc" | sed 's/[\/&]/\\&/g')\"}/" "$T/n.yaml"
    round_trip "nasty-$i" "$T/n.yaml"
    # and the description read back is the string itself
    "$B" validate "$T/r2.yaml" >"$T/r3.yaml" 2>/dev/null
    if cmp -s "$T/r2.yaml" "$T/r3.yaml"; then :; else fail "round-trip/nasty-$i-3" "differs"; fi
done
# escaped line breaks (U+0085 NEL, U+2028, U+2029) must stay escaped: the
# old hand writer wrote NEL raw and it came back as a space
i=0
for e in 'a\Nb' 'a\Lb' 'a\Pb'; do
    i=$((i + 1))
    printf '%s\ndescription: "%s"\nsweep:\n  description: ["%s", x]\n' "$HEAD" "$e" "$e" >"$T/e.yaml"
    round_trip "escaped-break-$i" "$T/e.yaml"
    if grep -q '^description: "a\\[NLP]b"$' "$T/r1.yaml"; then pass "round-trip/escaped-break-$i-kept"
    else fail "round-trip/escaped-break-$i-kept" "$(grep '^description' "$T/r1.yaml" | od -c | head -n 2)"; fi
done
printf '%s\nsweep:\n  scale.max_executions: [5, 10]\n  job.duration: [{dist: fixed, value: 3s}, 2s]\n  description: ["a: b", "#x", "yes"]\n' "$HEAD" >"$T/sw.yaml"
round_trip sweep "$T/sw.yaml"
