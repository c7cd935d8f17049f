#!/bin/sh
# tests/cli/sweep.sh - sweeps end to end: --vary, -j 1 and -j 2 give
# byte-identical CSVs, --shard 1/3..3/3 merged equals the single run, the
# recommendation in the table, report.md and summary.json, --check exit 4,
# plots (PNG and SVG) with gnuplot, and a run without gnuplot in PATH.
# Prints PASS:/FAIL:/SKIP: lines (see tests/run.sh).
set -u
B=${BURSTSIM:-build/burstsim}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }

cat >"$T/s.yaml" <<'Y'
name: sweep-cli
replications: 4
horizon: 10m
arrivals:
  process: {kind: batches, every: 2m, spread: 30s,
            size: {dist: lognormal, median: 30, p95: 90}}
scale:
  polling_interval: 10s
  max_executions: 5
  rules: [{name: q, type: azure-queue, queue_length: 1}]
job:
  startup: {dist: lognormal, median: 8s, p95: 20s}
  duration: {dist: exponential, mean: 3s}
slo:
  latency_p95: 5m
sweep:
  scale.max_executions: [1, 4, 20]
output: {timeseries: true, executions: true, plots: false}
Y

# --- --vary adds an axis; -j 1 and -j 2 are byte-identical ---------------
V="--vary scale.polling_interval=10s,30s"
"$B" run "$T/s.yaml" $V -o "$T/j1" -j 1 -q 2>"$T/err1"; rc1=$?
"$B" run "$T/s.yaml" $V -o "$T/j2" -j 2 -q 2>"$T/err2"; rc2=$?
if [ $rc1 -ne 0 ] || [ $rc2 -ne 0 ]; then
    fail sweep/runs "exit $rc1 $rc2: $(cat "$T/err1" "$T/err2")"
else
    pass sweep/runs
fi
head -1 "$T/j1/summary.csv" | grep -q '^config,scale.max_executions,scale.polling_interval,replications,' \
    && [ "$(wc -l <"$T/j1/summary.csv")" -eq 7 ] \
    && pass sweep/vary-axes || fail sweep/vary-axes "$(head -1 "$T/j1/summary.csv" | cut -c1-80)"
ok=1
for f in summary.csv replications.csv timeseries.csv executions.csv latency_quantiles.csv summary.json report.md; do
    cmp -s "$T/j1/$f" "$T/j2/$f" || { ok=0; fail "sweep/threads-identical" "$f differs"; }
done
[ $ok -eq 1 ] && pass sweep/threads-identical

# --- shards merged equal the single run ------------------------------------
ok=1
for i in 1 2 3; do
    "$B" run "$T/s.yaml" $V --shard $i/3 -o "$T/sh$i" -j 2 -q 2>"$T/err" \
        || { ok=0; fail sweep/shard-run "shard $i: $(cat "$T/err")"; }
done
[ $ok -eq 1 ] && [ -f "$T/sh1/manifest.json" ] && [ ! -f "$T/sh1/summary.csv" ] \
    && pass sweep/shard-partial || fail sweep/shard-partial "no partial folder"
"$B" merge -o "$T/merged" "$T/sh2" "$T/sh3" "$T/sh1" -q 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && pass sweep/merge || fail sweep/merge "exit $rc: $(cat "$T/err")"
ok=1
for f in summary.csv replications.csv timeseries.csv executions.csv latency_quantiles.csv summary.json report.md; do
    cmp -s "$T/j1/$f" "$T/merged/$f" || { ok=0; fail "sweep/merge-identical" "$f differs"; }
done
[ $ok -eq 1 ] && pass sweep/merge-identical
"$B" merge -o "$T/m2" "$T/sh1" "$T/sh2" -q 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'run has 3 shards' "$T/err" && [ ! -d "$T/m2" ] \
    && pass sweep/merge-missing-shard || fail sweep/merge-missing-shard "exit $rc: $(cat "$T/err")"
"$B" run "$T/s.yaml" --shard 1/2 -o "$T/other" -q 2>/dev/null
"$B" merge -o "$T/m3" "$T/sh1" "$T/other" "$T/sh3" -q 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'another run' "$T/err" \
    && pass sweep/merge-foreign-shard || fail sweep/merge-foreign-shard "exit $rc: $(cat "$T/err")"
expect_usage() {
    "$B" "$@" >/dev/null 2>"$T/err"; rc=$?
    [ $rc -eq 2 ] && pass "sweep/usage $*" || fail "sweep/usage $*" "exit $rc"
}
expect_usage run "$T/s.yaml" --shard 0/3 -o "$T/x"
expect_usage run "$T/s.yaml" --shard 4/3 -o "$T/x"
expect_usage merge "$T/sh1"

# --- recommendation, report, --check ----------------------------------------
P="--vary scale.max_executions=1,20 --vary cost.vcpu_second=0.00003,0.00001,0.00002"
"$B" run "$T/s.yaml" $P -o "$T/rec" -j 2 >"$T/out" 2>"$T/err"; rc=$?
# max_executions 1 cannot drain the bursts within the 5 min p95 (c0-c2
# fail); 20 can (c3-c5 meet it) and, with the same arrivals, the cheapest
# compute price wins: c4 (20, 0.00001).
grep -q '^recommendation: c4 (max_executions=20, vcpu_second=0.00001)' "$T/out" \
    && pass sweep/recommendation-table || fail sweep/recommendation-table "$(grep recommendation "$T/out")"
grep -q '^\*\*c4\*\* (`max_executions=20, vcpu_second=0.00001`) is the cheapest' "$T/rec/report.md" \
    && grep -q '^## Summary' "$T/rec/report.md" \
    && pass sweep/report-md || fail sweep/report-md "$(grep -n 'c4' "$T/rec/report.md" | head -3)"
python3 - "$T/rec/summary.json" <<'PY' && pass sweep/summary-json-recommendation || fail sweep/summary-json-recommendation "bad summary.json"
import json, sys
j = json.load(open(sys.argv[1]))
r = j["recommendation"]
assert r["config"] == "c4" and r["slo_met"] is True, r
assert j["configs"][0]["slo_met"] is False
PY
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "slo_met") c = i }
         NR > 1 { printf "%s ", $c }' "$T/rec/summary.csv" >"$T/met"
[ "$(cat "$T/met")" = "false false false true true true " ] && pass sweep/slo-met-column \
    || fail sweep/slo-met-column "$(cat "$T/met")"
grep -q 'plots: skipped (output.plots is false)' "$T/out" \
    && pass sweep/plots-off-notice || fail sweep/plots-off-notice "$(tail -3 "$T/out")"

"$B" run "$T/s.yaml" -o "$T/chk" --check -q; rc=$?
[ $rc -eq 0 ] && pass sweep/check-met || fail sweep/check-met "exit $rc"
"$B" run "$T/s.yaml" -o "$T/chk" --check --set slo.latency_p95=1ms >"$T/out" 2>&1; rc=$?
[ $rc -eq 4 ] && [ -f "$T/chk/summary.csv" ] && grep -q 'none of the 3 configurations meets' "$T/out" \
    && pass sweep/check-impossible-exit-4 || fail sweep/check-impossible-exit-4 "exit $rc"
sed '/^slo:/,/latency_p95/d' "$T/s.yaml" >"$T/noslo.yaml"
"$B" run "$T/noslo.yaml" -o "$T/x" --check -q 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'needs an slo' "$T/err" && pass sweep/check-needs-slo \
    || fail sweep/check-needs-slo "exit $rc: $(cat "$T/err")"
"$B" run "$T/noslo.yaml" -o "$T/noslo" -q; rc=$?
awk -F, 'NR == 2 { print $NF }' "$T/noslo/summary.csv" >"$T/met"
[ $rc -eq 0 ] && [ -z "$(cat "$T/met")" ] && grep -q 'no `slo:` section' "$T/noslo/report.md" \
    && pass sweep/no-slo-no-verdict || fail sweep/no-slo-no-verdict "slo_met '$(cat "$T/met")'"

# --- plots -------------------------------------------------------------------
if command -v gnuplot >/dev/null 2>&1; then
    "$B" run "$T/s.yaml" $V --set output.plots=true -o "$T/pl" -q 2>"$T/err"; rc=$?
    ok=1
    for p in backlog executions latency_cdf cost_latency waste; do
        for ext in gp png svg; do
            [ -s "$T/pl/plots/$p.$ext" ] || { ok=0; fail sweep/plots "$p.$ext missing or empty"; }
        done
    done
    [ $rc -eq 0 ] && [ $ok -eq 1 ] && pass sweep/plots
    head -c 8 "$T/pl/plots/backlog.png" | od -An -c | grep -q 'P   N   G' \
        && pass sweep/plots-png || fail sweep/plots-png "not a PNG"
    rm "$T/pl/plots/"*.png
    "$B" plot "$T/pl" >"$T/out" 2>&1; rc=$?
    [ $rc -eq 0 ] && [ -s "$T/pl/plots/waste.png" ] && pass sweep/plot-redraw \
        || fail sweep/plot-redraw "exit $rc: $(cat "$T/out")"
else
    echo "SKIP: sweep/plots: gnuplot not installed"
fi
mkdir "$T/bin"
PATH="$T/bin" "$B" run "$T/s.yaml" --set output.plots=true -o "$T/nognu" -q 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q 'gnuplot not found in PATH; plots skipped' "$T/err" \
    && [ -s "$T/nognu/plots/backlog.gp" ] && [ ! -e "$T/nognu/plots/backlog.png" ] \
    && pass sweep/no-gnuplot || fail sweep/no-gnuplot "exit $rc: $(cat "$T/err")"
exit 0
