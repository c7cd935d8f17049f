#!/bin/sh
# shellcheck disable=SC2086
# tests/cli/scale_decision.sh - `burstsim scale-decision`: the last line
# `create N`, the JSON numbers, normalisation, inactive triggers, the custom
# fallback, and exit code 2 with the usage message for bad command lines.
# The program is $BURSTSIM (set by tests/run.sh; default build/burstsim).
# Prints one line per case: "PASS: name" or "FAIL: name: why".
set -u
B=${BURSTSIM:-build/burstsim}
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

pass() { echo "PASS: scale-decision/$1"; }
fail() { echo "FAIL: scale-decision/$1: $2"; }

if [ ! -x "$B" ]; then
    fail setup "$B is not an executable"
    exit 0
fi

# run ARGS... : run the calculator, stdout to $out, stderr to $err, rc in $rc
run() { "$B" scale-decision "$@" >"$out" 2>"$err"; rc=$?; }

# json_int KEY : the integer value of "KEY" in the JSON in $out
json_int() { sed -n "s/^ *\"$1\": *\\(-\\{0,1\\}[0-9][0-9]*\\),\\{0,1\\}\$/\\1/p" "$out" | head -n 1; }
# json_str KEY : the string value of "KEY" in the JSON in $out
json_str() { sed -n "s/^ *\"$1\": *\"\\([^\"]*\\)\",\\{0,1\\}\$/\\1/p" "$out" | head -n 1; }

# expect_create NAME N ARGS... : exit 0 and last line exactly "create N"
expect_create() {
    name=$1; want=$2; shift 2
    run "$@"
    last=$(tail -n 1 "$out")
    if [ "$rc" -ne 0 ]; then fail "$name" "exit $rc: $(head -n 1 "$err")"
    elif [ "$last" != "create $want" ]; then fail "$name" "last line '$last', want 'create $want'"
    else pass "$name"; fi
}

# expect_json NAME KEY=VALUE... -- ARGS... : --json output has these values
expect_json() {
    name=$1; shift
    checks=""
    while [ "$1" != "--" ]; do checks="$checks $1"; shift; done
    shift
    run --json "$@"
    if [ "$rc" -ne 0 ]; then fail "$name" "exit $rc: $(head -n 1 "$err")"; return; fi
    for c in $checks; do
        k=${c%%=*}; v=${c#*=}
        got=$(json_int "$k"); [ -n "$got" ] || got=$(json_str "$k")
        if [ "$got" != "$v" ]; then fail "$name" "\"$k\" is '$got', want '$v'"; return; fi
    done
    pass "$name"
}

# expect_usage NAME ARGS... : exit 2, message and hint on stderr, no stdout
expect_usage() {
    name=$1; shift
    run "$@"
    first=$(head -n 1 "$err")
    if [ "$rc" -ne 2 ]; then fail "$name" "exit $rc, want 2"
    elif [ "${first#burstsim: scale-decision: }" = "$first" ]; then fail "$name" "stderr '$first'"
    elif ! grep -q "^try 'burstsim scale-decision --help'\$" "$err"; then fail "$name" "no help hint"
    elif [ -s "$out" ]; then fail "$name" "wrote to stdout"
    else pass "$name"; fi
}

# The accurate example: maxScale 5 + R' 2 - P 0 > MAXR 5 -> 5 - 2 = 3.
# $ACC is split into words on purpose (shellcheck SC2086 off for the file).
ACC="--strategy accurate --trigger 5:1 --max 5 --running 2 --pending 0"
expect_create accurate-cap 3 $ACC
expect_json accurate-cap-json create=3 effective=3 max_scale=5 scale_to=5 \
    r_prime=2 maxr=5 minr=0 applied_strategy=accurate -- $ACC
run --json $ACC
if grep -q '"accurate_cap": true' "$out"; then pass accurate-cap-flag
else fail accurate-cap-flag "no \"accurate_cap\": true"; fi

# Accurate else-branch subtracts P: 3 + 4 - 2 <= 10 -> 3 - 2 = 1 (2.1 #14).
expect_create accurate-pending 1 --strategy accurate --trigger 3:1 --max 10 --running 4 --pending 2

# Default: maxScale 3 - R' 2 = 1 (2.1 #1); strategy omitted = default.
expect_create default 1 --strategy default --trigger 3:1 --max 5 --running 2
expect_create default-implicit 1 --trigger 3:1 --max 5 --running 2
expect_create default-negative 0 --trigger 1:1 --running 4

# Normalisation: min > max -> MINR = MAXR = max; max unset -> MAXR 100
# (not reduced by MINR); R < MINR -> top-up, queue ignored.
expect_json min-gt-max minr=1 maxr=1 create=1 effective=1 -- --trigger 0:1 --min 10 --max 1
expect_json max-unset minr=2 maxr=100 create=3 r_prime=0 -- --trigger 3:1 --min 2 --running 2
expect_json max-minus-min minr=1 maxr=9 max_scale=9 -- --trigger 20:1 --min 1 --max 10 --running 1
expect_create topup 2 --trigger 50:1 --min 2 --max 100 --running 0

# An inactive trigger is ignored: nothing created.
expect_create inactive 0 --trigger 5:1:false
expect_json inactive-json create=0 effective=0 scale_to=0 max_scale=0 -- --trigger 5:1:false
run --json --trigger 5:1:false
if grep -q '"active": false' "$out"; then pass inactive-flag
else fail inactive-flag "no \"active\": false"; fi
# ...but MINR > 0 forces active.
expect_create inactive-minr 1 --trigger 5:1:false --min 1

# Multiple triggers (2.3): min picks QL 5, maxValue ceil(5/3) = 2.
expect_json multi-min scale_to=5 max_scale=2 create=2 -- --calc min \
    --trigger 20:1 --trigger 10:2 --trigger 5:3 --trigger 7:4:false
expect_json multi-max scale_to=20 max_scale=20 -- \
    --trigger 20:1 --trigger 10:2 --trigger 5:3 --trigger 7:4:false

# Custom: D 1, F 0.5 -> 3 - 1 - trunc(1) = 1; unparsable F -> default.
expect_create custom 1 --strategy custom --trigger 3:1 --max 5 --running 2 --deduction 1 --percentage 0.5
expect_json custom-fallback applied_strategy=default effective=2 -- \
    --strategy custom --trigger 2:1 --max 5 --deduction 1 --percentage ""
run --strategy custom --trigger 2:1 --percentage abc
if grep -q "does not parse as a float" "$out"; then pass custom-fallback-said
else fail custom-fallback-said "fallback not explained"; fi

# Eager: min(10 - 1 - 6, 4) = 3, scaleTo returned MAXR.
expect_json eager create=3 scale_to=10 -- --strategy eager --trigger 4:1 --max 10 --running 1 --pending 6

# Decimals: QL 2 with T 0.5 -> maxScale 4 but scaleTo 2 bounds create.
expect_create decimal-target 2 --trigger 2:0.5

# Usage errors.
expect_usage unknown-option --trigger 1:1 --bogus
expect_usage missing-value --trigger
expect_usage bad-number --trigger 1:1 --running x
expect_usage bad-trigger --trigger 5
expect_usage bad-trigger-flag --trigger 5:1:yes
expect_usage negative-running --trigger 1:1 --running -1
expect_usage negative-pending --trigger 1:1 --pending -3
expect_usage negative-min --trigger 1:1 --min -1
expect_usage zero-max --trigger 1:1 --max 0
expect_usage no-trigger --strategy default
expect_usage unknown-strategy --strategy fastest --trigger 1:1
expect_usage unknown-calc --calc median --trigger 1:1
expect_usage extra-argument --trigger 1:1 stray

# The custom-only options (STRATEGY_LIST's KEYS) are refused with another
# strategy, whatever the order of the options; KEDA's vectors pass D and F
# only with custom.
# expect_usage_line NAME LINE ARGS... : exit 2 and first stderr line LINE
expect_usage_line() {
    name=$1; want=$2; shift 2
    run "$@"
    if [ "$rc" -ne 2 ]; then fail "$name" "exit $rc, want 2"
    elif [ "$(head -n 1 "$err")" != "$want" ]; then fail "$name" "stderr '$(head -n 1 "$err")'"
    else pass "$name"; fi
}
expect_usage_line deduction-not-custom \
    "burstsim: scale-decision: --deduction: applies only to --strategy custom, the strategy is default" \
    --trigger 3:1 --deduction 1
expect_usage_line percentage-not-custom \
    "burstsim: scale-decision: --percentage: applies only to --strategy custom, the strategy is eager" \
    --percentage 0.5 --strategy eager --trigger 3:1
expect_usage_line unknown-strategy-names \
    "burstsim: scale-decision: --strategy 'fastest': expected default, custom, accurate or eager" \
    --strategy fastest --trigger 1:1
expect_create custom-options-any-order 1 --percentage 0.5 --deduction 1 --trigger 3:1 --max 5 --running 2 --strategy custom

run --help
if [ "$rc" -eq 0 ] && grep -q '^usage: burstsim scale-decision' "$out" &&
   grep -q '^  --strategy S      default|custom|accurate|eager (default: default)$' "$out"; then pass help
else fail help "exit $rc or no usage / --strategy line"; fi

# Each strategy's formula line (its explain op), byte for byte.
# expect_line NAME LINE ARGS... : exit 0 and LINE is a line of stdout
expect_line() {
    name=$1; want=$2; shift 2
    run "$@"
    if [ "$rc" -ne 0 ]; then fail "$name" "exit $rc"
    elif ! grep -qxF -- "$want" "$out"; then fail "$name" "no line '$want'"
    else pass "$name"; fi
}
expect_line explain-default \
    "effective   = 0          default: maxScale 1 - R' 4 = -3, < 0 so clamped to 0" \
    --trigger 1:1 --running 4
expect_line explain-custom \
    "effective   = 7          custom: min(maxScale 10 - D 1 - trunc(R' 4 x F 0.5), MAXR 20) = 7" \
    --strategy custom --trigger 10:1 --max 20 --running 4 --deduction 1 --percentage 0.5
expect_line explain-accurate-cap \
    "effective   = 3          accurate: maxScale 5 + R' 2 - P 0 > MAXR 5, so MAXR - R' = 3" \
    $ACC
expect_line explain-accurate \
    "effective   = 1          accurate: maxScale 3 + R' 4 - P 2 <= MAXR 10, so maxScale - P = 1" \
    --strategy accurate --trigger 3:1 --max 10 --running 4 --pending 2
expect_line explain-eager \
    "effective   = 3          eager: min(MAXR 10 - R' 1 - P 6, maxScale 4) = 3" \
    --strategy eager --trigger 4:1 --max 10 --running 1 --pending 6
expect_line explain-eager-scale-to \
    "scaleTo     = 10         eager returns MAXR as scaleTo" \
    --strategy eager --trigger 4:1 --max 10 --running 1 --pending 6
exit 0
