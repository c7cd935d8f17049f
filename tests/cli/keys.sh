#!/bin/sh
# tests/cli/keys.sh - keys that apply only to some broker kinds, rule types
# or strategies (models/broker.h BROKER_LIST, models/strategy.h
# STRATEGY_LIST): a key that does not apply is refused with exit 3 and one
# `file:line:col: error: key.path: applies only to ...` line, also when the
# kind or strategy comes from --set, --vary or a sweep axis (each
# configuration is loaded on its own); `validate` prints only the keys that
# apply, and its output loads again.
# Prints PASS:/FAIL: lines (see tests/run.sh).
set -u
B=${BURSTSIM:-build/burstsim}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

pass() { echo "PASS: keys/$1"; }
fail() { echo "FAIL: keys/$1: $2"; }

# expect_refused NAME LINE ARGS... : exit 3 and first stderr line == LINE
expect_refused() {
    name=$1; want=$2; shift 2
    "$B" "$@" >"$T/out" 2>"$T/err"; rc=$?
    first=$(head -n 1 "$T/err")
    if [ "$rc" -ne 3 ]; then fail "$name" "exit $rc, want 3 ($first)"
    elif [ "$first" != "$want" ]; then fail "$name" "got '$first', want '$want'"
    else pass "$name"; fi
}

# Every scenario below starts with these lines.
cat >"$T/head.yaml" <<'Y'
horizon: 10m
replications: 2
arrivals:
  process: {kind: poisson, rate: 1/s}
Y

cat "$T/head.yaml" - >"$T/custom.yaml" <<'Y'
scale:
  strategy: custom
  custom_queue_length_deduction: 1
  custom_running_job_percentage: 0.5
output: {timeseries: false, plots: false}
Y
cat "$T/head.yaml" - >"$T/sweep.yaml" <<'Y'
scale:
  strategy: custom
  custom_running_job_percentage: 0.5
sweep:
  scale.strategy: [custom, eager]
output: {timeseries: false, plots: false}
Y
cat "$T/head.yaml" - >"$T/sq.yaml" <<'Y'
source:
  kind: storage-queue
  visibility_timeout: 1m
scale:
  rules:
    - {name: q, queue_length: 2, queue_length_strategy: visibleonly}
output: {timeseries: false, plots: false}
Y
cat "$T/head.yaml" - >"$T/rule.yaml" <<'Y'
scale:
  rules:
    - {name: q, queue_length: 2, queue_length_strategy: visibleonly}
Y
cat "$T/head.yaml" - >"$T/mixed.yaml" <<'Y'
source: {kind: service-bus, lock_duration: 2m}
scale:
  rules:
    - {name: q, type: azure-queue}
Y

expect_refused sweep-strategy \
    "$T/sweep.yaml:7:3: error: scale.custom_running_job_percentage: applies only to scale.strategy custom, the strategy is eager" \
    run "$T/sweep.yaml" -o "$T/r1" -q
expect_refused vary-strategy \
    "$T/custom.yaml:7:3: error: scale.custom_queue_length_deduction: applies only to scale.strategy custom, the strategy is default" \
    run "$T/custom.yaml" --vary scale.strategy=custom,default -o "$T/r2" -q
expect_refused set-strategy \
    "$T/custom.yaml:7:3: error: scale.custom_queue_length_deduction: applies only to scale.strategy custom, the strategy is accurate" \
    validate "$T/custom.yaml" --set scale.strategy=accurate
expect_refused set-kind-visibility \
    "$T/sq.yaml:7:3: error: source.visibility_timeout: applies only to source.kind storage-queue, this source is service-bus" \
    validate "$T/sq.yaml" --set source.kind=service-bus
expect_refused set-lock-duration \
    "--set:1:8: error: source.lock_duration: applies only to source.kind service-bus, this source is storage-queue" \
    validate "$T/sq.yaml" --set source.lock_duration=1m
expect_refused set-kind-rule-keys \
    "$T/rule.yaml:7:34: error: scale.rules[0].queue_length_strategy: applies only to scale.rules[0].type azure-queue, this rule is azure-servicebus" \
    validate "$T/rule.yaml" --set source.kind=service-bus
expect_refused rule-type-kind \
    "$T/mixed.yaml:8:23: error: scale.rules[0].type: azure-queue applies only to source.kind storage-queue, this source is service-bus" \
    validate "$T/mixed.yaml"

# The keys that apply run, and the sweep over strategies without the custom
# keys runs every configuration.
if "$B" run "$T/custom.yaml" -o "$T/r3" -q 2>"$T/err" &&
   "$B" run "$T/sq.yaml" --vary scale.strategy=default,accurate -o "$T/r4" -q 2>>"$T/err"; then
    pass applicable-keys-run
else
    fail applicable-keys-run "$(head -n 1 "$T/err")"
fi

# validate prints only the keys that apply, and its output loads again.
ok=1
"$B" validate "$T/sq.yaml" >"$T/v1.yaml" 2>"$T/err" || ok=0
grep -q '^  visibility_timeout: 1m$' "$T/v1.yaml" || ok=0
grep -q 'queue_length_strategy: visibleonly$' "$T/v1.yaml" || ok=0
grep -q 'lock_duration\|custom_' "$T/v1.yaml" && ok=0
"$B" validate "$T/v1.yaml" >"$T/v2.yaml" 2>>"$T/err" || ok=0
cmp -s "$T/v1.yaml" "$T/v2.yaml" || ok=0
if [ $ok = 1 ]; then pass validate-storage-queue; else fail validate-storage-queue "$(head -n 1 "$T/err")"; fi

ok=1
"$B" validate "$T/custom.yaml" --set source.kind=service-bus >"$T/v3.yaml" 2>"$T/err" || ok=0
grep -q '^  lock_duration: 1m$' "$T/v3.yaml" || ok=0
grep -q '^  custom_running_job_percentage: 0.5$' "$T/v3.yaml" || ok=0
grep -q 'type: azure-servicebus$' "$T/v3.yaml" || ok=0
grep -q 'visibility_timeout\|queue_length_strategy' "$T/v3.yaml" && ok=0
"$B" validate "$T/v3.yaml" >"$T/v4.yaml" 2>>"$T/err" || ok=0
cmp -s "$T/v3.yaml" "$T/v4.yaml" || ok=0
if [ $ok = 1 ]; then pass validate-service-bus; else fail validate-service-bus "$(head -n 1 "$T/err")"; fi
exit 0
