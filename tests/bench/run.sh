#!/bin/sh
# tests/bench/run.sh - the figures `make bench` prints: simulation speed
# (events/s, messages/s) and peak RSS on the queueing scenario, on the
# default scenario and on the Azure LLM code trace replay (when
# ../shared/data/traces is present). Each line is one process.
set -u
BUILD=${BUILD:-build}
B=$BUILD/bench
TRACE=../shared/data/traces/AzureLLMInferenceTrace_code.csv
echo "burstsim benchmark ($(nproc) cores; one thread per run; -O2)"
$B tests/scenarios/mmc.yaml 1
$B tests/scenarios/mmc.yaml 1 horizon=80000s
$B scenarios/default.yaml 10
if [ -f "$TRACE" ]; then
    $B scenarios/llm-code-replay.yaml 20 arrivals.trace.path=$TRACE
else
    echo "SKIP: LLM replay: $TRACE not found"
fi
