#!/bin/sh
# tests/cli/golden.sh - golden results: every bundled scenario (and the
# golden-only scenarios in tests/golden/extra/) run with its fixed seed and
# its replications cut to 2, the trace scenarios on the shared traces; the
# CSV results compared byte for byte with tests/golden/<name>/.
#
# Why these numbers are right: they pin what burstsim computed when they were
# written (see tests/golden/README.md). The model behind them is justified
# by the hand-derived and closed-form tests (test_queueing: Erlang C and
# Little's law; test_decision: KEDA's own vectors; test_lifecycle and
# test_cost: hand-computed counts and bills). A golden that changes is a
# change of behaviour: either a bug, or a deliberate change whose commit
# says why and regenerates the files with GOLDEN_UPDATE=1.
set -u
BURSTSIM=${BURSTSIM:-build/burstsim}
GOLD=tests/golden
TRACES=${TRACES:-../shared/data/traces}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

check() { # name scenario [args...]
    name=$1; scn=$2; shift 2
    out="$tmp/$name"
    if ! "$BURSTSIM" run "$scn" --replications 2 -j 2 -q -o "$out" "$@" \
        >"$tmp/$name.log" 2>&1; then
        echo "FAIL: golden $name: run failed: $(tail -n 3 "$tmp/$name.log")"
        return
    fi
    for f in summary.csv replications.csv timeseries.csv executions.csv; do
        [ -f "$out/$f" ] || continue
        if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
            mkdir -p "$GOLD/$name"; cp "$out/$f" "$GOLD/$name/$f"
        fi
        if [ ! -f "$GOLD/$name/$f" ]; then
            echo "FAIL: golden $name/$f: no golden file (run with GOLDEN_UPDATE=1)"
        elif cmp -s "$out/$f" "$GOLD/$name/$f"; then
            echo "PASS: golden $name/$f"
        else
            echo "FAIL: golden $name/$f differs: $(diff "$GOLD/$name/$f" "$out/$f" | head -n 4 | cut -c1-200)"
        fi
    done
}

for scn in scenarios/*.yaml tests/golden/extra/*.yaml; do
    name=$(basename "$scn" .yaml)
    case $name in
    llm-code-replay)
        t="$TRACES/AzureLLMInferenceTrace_code.csv"
        if [ -f "$t" ]; then check "$name" "$scn" --set "arrivals.trace.path=$t"
        else echo "SKIP: golden $name: no $t"; fi ;;
    functions-queue-2019)
        t="$TRACES/azure_functions_2019_sample500/invocations.csv"
        if [ -f "$t" ]; then check "$name" "$scn" --set "arrivals.trace.path=$t"
        else echo "SKIP: golden $name: no $t"; fi ;;
    *) check "$name" "$scn" ;;
    esac
done
