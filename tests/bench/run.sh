#!/bin/sh
# tests/bench/run.sh - the figures `make bench` prints: simulation speed
# (events/s, messages/s) and peak RSS on the queueing scenario, on the
# default scenario and on the Azure LLM code trace replay (when
# ../shared/data/traces is present), then the replay of a generated events
# trace of 1e7 rows and of 2e7 rows (written to /tmp with awk, deleted
# after): messages/s is arrivals replayed per second through the whole
# model; peak RSS must stay flat (< 64 MiB) when the trace doubles. Each
# line is one process. BENCH_ROWS=N changes the 1e7.
set -u
BUILD=${BUILD:-build}
B=$BUILD/bench
TRACE=../shared/data/traces/AzureLLMInferenceTrace_code.csv
ROWS=${BENCH_ROWS:-10000000}
echo "burstsim benchmark ($(nproc) cores; one thread per run; -O2)"
$B tests/scenarios/mmc.yaml 1
$B tests/scenarios/mmc.yaml 1 horizon=80000s
$B scenarios/default.yaml 10
if [ -f "$TRACE" ]; then
    $B scenarios/llm-code-replay.yaml 20 arrivals.trace.path=$TRACE
else
    echo "SKIP: LLM replay: $TRACE not found"
fi

# gen N FILE: an events trace of N rows, one every 10 ms (offset seconds).
gen() {
    awk -v n="$1" 'BEGIN { print "t_s"; for (i = 0; i < n; i++)
                           printf "%d.%02d\n", i / 100, i % 100 }' >"$2"
}
G=$(mktemp /tmp/burstsim-bench-XXXXXX)
trap 'rm -f "$G"' EXIT
for n in "$ROWS" $((ROWS * 2)); do
    if gen "$n" "$G"; then
        printf 'trace %d rows (%d MiB): ' "$n" $(($(wc -c <"$G") / 1048576))
        $B tests/bench/replay.yaml 1 arrivals.trace.path="$G"
    else
        echo "SKIP: generated replay: cannot write $G"
    fi
done
rm -f "$G"
