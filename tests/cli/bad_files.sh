#!/bin/sh
# tests/cli/bad_files.sh - the bad-input catalogue of results folders and
# merge inputs (issue 11, defects 7, 8, 13): -o targets burstsim did not
# write, merges onto their own inputs, malformed shard manifests, full and
# read-only file systems, two runs on one folder, runaway work refused by
# the budget (defect 9). Every case asserts the
# exit code, the one error line naming the path or key, that no results
# folder, staging folder or lock file is left behind and that no other
# file is touched (a checksum snapshot of the work folder).
# Prints PASS:/FAIL:/SKIP: lines (see tests/run.sh).
set -u
B=${BURSTSIM:-build/burstsim}
T=$(mktemp -d)
MNT=""
cleanup() {
    [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }
skip() { echo "SKIP: $1: $2"; }

W="$T/w"
mkdir -p "$W"
cat >"$W/s.yaml" <<'Y'
name: bad-files
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
  duration: {dist: exponential, mean: 3s}
output: {timeseries: true, executions: true, plots: false}
Y
sed 's/plots: false/plots: true/' "$W/s.yaml" >"$W/plots.yaml"
echo "keep me" >"$W/precious.txt"

# snap DIR: every path below DIR with the checksum of every file.
snap() {
    (cd "$1" && find . | LC_ALL=C sort && find . -type f -exec cksum {} + |
        LC_ALL=C sort)
}

# expect NAME RC PATTERN CMD...: run CMD in $W; it must exit RC, print
# exactly one line on stderr matching PATTERN (grep -E; a usage error's
# "try 'burstsim ... --help'" hint aside), and leave $W exactly as it was
# (nothing written, nothing removed or changed).
expect() {
    name=$1 want=$2 pat=$3
    shift 3
    snap "$W" >"$T/before"
    (cd "$W" && "$@") >"$T/out" 2>"$T/err"
    rc=$?
    snap "$W" >"$T/after"
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit $rc, want $want: $(head -c 300 "$T/err")"
    elif [ "$(grep -vc "^try 'burstsim" "$T/err")" -ne 1 ] ||
        ! grep -Eq -- "$pat" "$T/err"; then
        fail "$name" "stderr not one line matching '$pat': $(head -c 300 "$T/err")"
    elif ! cmp -s "$T/before" "$T/after"; then
        fail "$name" "files changed: $(diff "$T/before" "$T/after" | head -5 | tr '\n' ' ')"
    else
        pass "$name"
    fi
}

# ok NAME CMD...: CMD in $W must succeed.
ok() {
    name=$1
    shift
    if (cd "$W" && "$@") >"$T/out" 2>"$T/err"; then
        return 0
    fi
    fail "$name" "setup failed: $(head -c 300 "$T/err")"
    return 1
}

# --- results targets: only a folder burstsim wrote is replaced -------------
ok setup "$B" run s.yaml -o res -q || exit 0
if [ -f "$W/res/.burstsim" ] && grep -q '"kind": "burstsim-results"' "$W/res/.burstsim" &&
    grep -q '"shard-parts/\|"timeseries.csv"' "$W/res/.burstsim" &&
    [ ! -e "$W/res.lock" ]; then
    pass target/marker-written
else
    fail target/marker-written "$(ls -a "$W" "$W/res" | tr '\n' ' ')"
fi
# Replacing our own folder works and removes exactly what it listed.
ok target/replace "$B" run s.yaml -o res -q --seed 9 &&
    [ "$(ls "$W/res" | wc -l)" -eq 7 ] && ! ls -d "$W"/res.* >/dev/null 2>&1 &&
    pass target/replace-own
mkdir -p "$W/foreign"
echo data >"$W/foreign/notes.txt"
expect target/foreign-file 2 "foreign: error: results folder: .*burstsim" \
    "$B" run s.yaml -o foreign -q
mkdir -p "$W/old"
echo '{}' >"$W/old/summary.json"
echo 1 >"$W/old/summary.csv"
expect target/summary-json-no-marker 2 "old: error: .*no \.burstsim marker" \
    "$B" run s.yaml -o old -q
expect target/regular-file 2 "precious.txt: error: results folder: exists and is not a folder" \
    "$B" run s.yaml -o precious.txt -q
cp -r "$W/res" "$W/res2"
echo mine >"$W/res2/plots-notes.md"
expect target/extra-file-in-own-folder 2 "res2: error: .*holds 'plots-notes.md'" \
    "$B" run s.yaml -o res2 -q
rm "$W/res2/plots-notes.md"
mkdir "$W/res2/mine"
expect target/extra-folder-in-own-folder 2 "res2: error: .*holds 'mine/'" \
    "$B" run s.yaml -o res2 -q
rmdir "$W/res2/mine"
ln -s ../precious.txt "$W/res2/link"
expect target/symlink-in-own-folder 2 "res2: error: .*holds 'link'" \
    "$B" run s.yaml -o res2 -q
rm "$W/res2/link"
cp "$W/res2/.burstsim" "$T/marker"
echo 'not json' >"$W/res2/.burstsim"
expect target/marker-not-json 2 "res2/\.burstsim:1:[0-9]+: error: results folder marker" \
    "$B" run s.yaml -o res2 -q
echo '{"kind": "other", "files": []}' >"$W/res2/.burstsim"
expect target/marker-kind 2 "res2/\.burstsim: error: kind: expected" \
    "$B" run s.yaml -o res2 -q
echo '{"kind": "burstsim-results", "files": ["../precious.txt"]}' >"$W/res2/.burstsim"
expect target/marker-escapes 2 "res2/\.burstsim: error: files\[0\]: expected a relative" \
    "$B" run s.yaml -o res2 -q
echo '{"kind": "burstsim-results", "files": "summary.csv"}' >"$W/res2/.burstsim"
expect target/marker-files-type 2 "res2/\.burstsim: error: files: expected a list" \
    "$B" run s.yaml -o res2 -q
cp "$T/marker" "$W/res2/.burstsim"
echo "user lock" >"$W/res2.lock"
expect target/foreign-lock-file 2 "res2: error: .*res2\.lock exists and is not a burstsim lock" \
    "$B" run s.yaml -o res2 -q
rm "$W/res2.lock"
# Stale folders of a killed run: a marked staging folder is removed, an
# unmarked one that only looks like it is left alone.
mkdir -p "$W/res2.tmp-999999999" "$W/res2.tmp-999999998"
: >"$W/res2.tmp-999999999/.burstsim-staging"
echo x >"$W/res2.tmp-999999999/half.csv"
echo mine >"$W/res2.tmp-999999998/keep.txt"
if ok target/stale "$B" run s.yaml -o res2 -q && [ ! -e "$W/res2.tmp-999999999" ] &&
    [ "$(cat "$W/res2.tmp-999999998/keep.txt")" = mine ]; then
    pass target/stale-staging-only-ours
else
    fail target/stale-staging-only-ours "$(ls -a "$W" | tr '\n' ' ')"
fi
rm -rf "$W/res2.tmp-999999998"
# A killed run's staging folder is removed by the next run to the same
# folder, whatever its pid (here a live one: this shell's), because that
# run holds the lock; one without the staging marker stays.
mkdir -p "$W/res2.tmp-$$" "$W/res2.tmp-1"
: >"$W/res2.tmp-$$/.burstsim-staging"
echo mine >"$W/res2.tmp-1/keep.txt"
if ok target/stale-live-pid "$B" run s.yaml -o res2 -q && [ ! -e "$W/res2.tmp-$$" ] &&
    [ "$(cat "$W/res2.tmp-1/keep.txt")" = mine ]; then
    pass target/stale-staging-any-pid
else
    fail target/stale-staging-any-pid "$(ls -a "$W" | tr '\n' ' ')"
fi
rm -rf "$W/res2.tmp-1"

# --- burstsim plot ---------------------------------------------------------
# A folder burstsim did not write is refused (usage error) and untouched.
mkdir -p "$W/mine"
echo data >"$W/mine/notes.txt"
expect plot/not-results-folder 2 "mine: error: not a results folder burstsim wrote" \
    "$B" plot mine
rm -rf "$W/mine"
# What plot writes is added to the marker: a later run may replace it.
if command -v gnuplot >/dev/null 2>&1; then
    if ok plot/setup "$B" run s.yaml -o pl -q && ok plot/draw "$B" plot pl &&
        grep -q '"plots/backlog.png"' "$W/pl/.burstsim" &&
        ok plot/rerun "$B" run s.yaml -o pl -q && [ ! -e "$W/pl/plots" ] &&
        ok plot/draw2 "$B" plot pl --rewrite &&
        grep -q '"plots/waste.gp"' "$W/pl/.burstsim" &&
        ok plot/rerun2 "$B" run s.yaml -o pl -q; then
        pass plot/marks-what-it-writes
    else
        fail plot/marks-what-it-writes "$(ls -a "$W/pl" "$W/pl/plots" 2>&1 | tr '\n' ' ')"
    fi
    rm -rf "$W/pl"
else
    skip plot/marks-what-it-writes "gnuplot not found"
fi

# --- merge inputs are never overwritten -----------------------------------
ok shards "$B" run s.yaml --shard 1/2 -o shards/1 -q &&
    ok shards "$B" run s.yaml --shard 2/2 -o shards/2 -q
ln -s shards/1 "$W/link1"
expect merge/onto-input 2 "shards/1: error: merge: -o is the partial folder shards/1" \
    "$B" merge -o shards/1 shards/1 shards/2
expect merge/onto-input-symlink 2 "link1: error: merge: -o is the partial folder shards/1" \
    "$B" merge -o link1 shards/1 shards/2
expect merge/onto-input-dotdot 2 "shards/2/\.\./1: error: merge: -o is the partial folder" \
    "$B" merge -o shards/2/../1 shards/1 shards/2
expect merge/onto-parent 2 "shards: error: merge: -o holds the partial folder" \
    "$B" merge -o shards shards/1 shards/2
expect merge/inside-input 2 "shards/1/out: error: merge: -o is the partial folder" \
    "$B" merge -o shards/1/out shards/1 shards/2
expect merge/not-partial 2 "res: error: not a partial results folder" \
    "$B" merge -o m res shards/2

# --- manifests are checked whole before use (exit 3, path and key) --------
# bad NAME PATTERN PYTHON-EXPR: shards/ copied to bad/ with manifest m of
# both shards changed by the Python statement, then merged.
bad() {
    name=$1 pat=$2 stmt=$3
    rm -rf "$W/bad"
    cp -r "$W/shards" "$W/bad"
    for i in 1 2; do
        python3 - "$W/bad/$i/manifest.json" "$stmt" <<'P' || return
import json, sys
p, stmt = sys.argv[1], sys.argv[2]
m = json.load(open(p))
exec(stmt)
open(p, "w").write(m if isinstance(m, str) else json.dumps(m))
P
    done
    expect "manifest/$name" 3 "$pat" "$B" merge -o m bad/1 bad/2
}
if command -v python3 >/dev/null 2>&1; then
    bad vary-empty-values "bad/1/manifest.json: error: vary\[0\]\.values: expected a non-empty list" \
        'm["vary"] = [{"path": "scale.max_executions", "values": []}]'
    bad vary-not-list "bad/1/manifest.json: error: vary: expected a list" 'm["vary"] = {}'
    bad vary-no-path "bad/1/manifest.json: error: vary\[0\]: expected an object" \
        'm["vary"] = [{"values": ["1"]}]'
    bad vary-value-number "bad/1/manifest.json: error: vary\[0\]\.values: expected" \
        'm["vary"] = [{"path": "scale.max_executions", "values": [1, 2]}]'
    bad set-pair "bad/1/manifest.json: error: set\[0\]: expected a \[path, value\] pair" \
        'm["set"] = [["job.startup"]]'
    bad shard-zero "bad/1/manifest.json: error: shard: expected an integer from 1 to 2" \
        'm["shard"] = 0'
    bad shards-string "bad/1/manifest.json: error: shards: expected an integer" \
        'm["shards"] = "2"'
    bad configs-mismatch "bad/1/manifest.json: error: configs: 3, but its scenario and options give 1" \
        'm["configs"] = 3'
    bad replications-mismatch "bad/1/manifest.json: error: replications: 7, but" \
        'm["replications"] = 7'
    bad replications-huge "bad/1/manifest.json: error: replications: expected an integer" \
        'm["replications"] = 2**40'
    bad text-missing "bad/1/manifest.json: error: scenario_text: expected a string" \
        'del m["scenario_text"]'
    bad unknown-key "bad/1/manifest.json: error: extra: unknown key" 'm["extra"] = 1'
    bad not-object "bad/1/manifest.json: error: expected a JSON object" 'm = "[1, 2]"'
    bad not-json "bad/1/manifest.json:1:[0-9]+: error: " 'm = "{\"kind\": "'
    bad duplicate-key "bad/1/manifest.json:[0-9]+:[0-9]+: error: duplicate object key" \
        'm = json.dumps(m)[:-1] + ", \"shard\": 1}"'
    rm -rf "$W/bad"
else
    skip manifest/all "python3 not found"
fi

# --- runaway work is refused before it starts (defect 9) ------------------
# capped CMD...: CMD under a 2 GB address-space limit and a 20 s timeout,
# so the old behaviour (memory without bound) fails here, not the machine.
# An ASan build reserves terabytes of address space for its shadow
# memory, so there the cap is the timeout alone (ASan's own allocator
# reports a runaway allocation anyway).
if nm "$B" 2>/dev/null | grep -q __asan_init; then
    capped() { timeout 20 "$@"; }
else
    capped() { sh -c 'ulimit -v 2000000 2>/dev/null; exec timeout 20 "$@"' capped "$@"; }
fi
sed 's/rate: 1\/s/rate: 1e308\/s/' "$W/s.yaml" >"$W/huge.yaml"
sed 's/rate: 1\/s/rate: 1e7\/s/; s/horizon: 10m/horizon: 1h/' "$W/s.yaml" >"$W/typo.yaml"
cat >"$W/mmpp.yaml" <<'Y'
name: mmpp-1us
replications: 1
horizon: 1h
arrivals:
  process: {kind: mmpp, states: [{rate: 1/s, mean_sojourn: 1us}, {rate: 2/s, mean_sojourn: 1us}]}
scale:
  polling_interval: 10s
  rules: [{name: q, type: azure-queue, queue_length: 1}]
job: {startup: 5s, duration: 3s}
Y
expect budget/rate-1e308 3 "huge.yaml: error: arrivals: about inf per replication \(c0" \
    capped "$B" run huge.yaml -o rb -q
expect budget/rate-typo 3 "typo.yaml: error: arrivals: about 3.6e\+10 per replication .*budget of 1e\+09.*--max-arrivals" \
    capped "$B" run typo.yaml -o rb -q
expect budget/mmpp-1us 3 "mmpp.yaml: error: events: about 3.6e\+09 scheduled per replication" \
    capped "$B" run mmpp.yaml -o rb -q
expect budget/validate-typo 3 "typo.yaml: error: arrivals: about 3.6e\+10 per replication" \
    capped "$B" validate typo.yaml
expect budget/validate-mmpp 3 "mmpp.yaml: error: events: about 3.6e\+09 scheduled per replication" \
    capped "$B" validate mmpp.yaml
expect budget/sweep-config 3 "s.yaml: error: arrivals: about 6e\+10 per replication \(c1," \
    capped "$B" run s.yaml --vary arrivals.process.rate=1/s,1e8/s -o rb -q
expect budget/max-arrivals-low 3 "s.yaml: error: arrivals: about 600 per replication .*budget of 100" \
    capped "$B" run s.yaml --max-arrivals 100 -o rb -q
expect budget/max-arrivals-bad 2 "^burstsim: run: --max-arrivals: expected a number" \
    "$B" run s.yaml --max-arrivals 0 -o rb -q
if (cd "$W" && capped "$B" run s.yaml --max-arrivals 1000 -o rb -q) 2>"$T/err" &&
    [ -f "$W/rb/summary.csv" ]; then
    pass budget/max-arrivals-raises
else
    fail budget/max-arrivals-raises "$(cat "$T/err")"
fi
rm -rf "$W/rb"

# --- two runs on one folder: the second fails, the first is whole ---------
sed 's/horizon: 10m/horizon: 12h/; s/rate: 1\/s/rate: 20\/s/; s/replications: 2/replications: 4/; s/executions: true/executions: false/' \
    "$W/s.yaml" >"$W/slow.yaml"
ok concurrent/ref "$B" run slow.yaml -o ref -q -j 1
(cd "$W" && "$B" run slow.yaml -o both -q -j 1 >/dev/null 2>"$T/first.err"; echo $? >"$T/first.rc") &
first=$!
i=0
while [ ! -e "$W/both.lock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
(cd "$W" && "$B" run slow.yaml -o both -q -j 1) >/dev/null 2>"$T/second.err"
rc2=$?
wait $first
if [ $rc2 -ne 1 ] || ! grep -q "both: error: results folder: another burstsim run is writing it" "$T/second.err"; then
    fail concurrent/second-refused "exit $rc2: $(cat "$T/second.err")"
elif [ "$(cat "$T/first.rc")" -ne 0 ]; then
    fail concurrent/second-refused "first run exit $(cat "$T/first.rc"): $(cat "$T/first.err")"
else
    pass concurrent/second-refused
fi
okf=1
for f in summary.csv replications.csv timeseries.csv summary.json .burstsim; do
    cmp -s "$W/ref/$f" "$W/both/$f" || { okf=0; fail concurrent/first-whole "$f differs"; }
done
[ -e "$W/both.lock" ] && { okf=0; fail concurrent/first-whole "lock file left"; }
[ $okf -eq 1 ] && pass concurrent/first-whole
rm -rf "$W/ref" "$W/both"

# --- full and read-only file systems (tmpfs; needs root) ------------------
MNT="$T/mnt"
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=16k tmpfs "$MNT" 2>/dev/null; then
    rmdir "$MNT"
    MNT=""
    skip disk/all "cannot mount a tmpfs here (not root?)"
    exit 0
fi
# fs_expect NAME RC PATTERN CMD...: like expect, and the tmpfs must be
# left as it was too.
fs_expect() {
    snap "$MNT" >"$T/fs.before"
    expect "$@"
    snap "$MNT" >"$T/fs.after"
    cmp -s "$T/fs.before" "$T/fs.after" ||
        fail "$1/tmpfs" "left on the file system: $(diff "$T/fs.before" "$T/fs.after" | head -5 | tr '\n' ' ')"
}
fs_expect disk/full-part-file 1 "$MNT/out\.tmp-[0-9]+/parts/.*: error: cannot write file: No space left on device" \
    "$B" run s.yaml -o "$MNT/out" -q
fs_expect disk/full-shard 1 "$MNT/sh\.tmp-[0-9]+/.*: error: .*No space left on device" \
    "$B" run s.yaml --shard 1/2 -o "$MNT/sh" -q
fs_expect disk/full-merge 1 "$MNT/m\.tmp-[0-9]+/.*: error: .*No space left on device" \
    "$B" merge -o "$MNT/m" -q shards/1 shards/2
umount "$MNT"
# Big enough for the CSV files, too small for the plots: gnuplot exits 0
# with empty images, which must fail the run.
mount -t tmpfs -o size=200k tmpfs "$MNT"
if command -v gnuplot >/dev/null 2>&1; then
    fs_expect disk/full-plots 1 "$MNT/out: error: plots/.*: gnuplot wrote an empty image: No space left on device" \
        "$B" run plots.yaml -o "$MNT/out" -q
else
    skip disk/full-plots "gnuplot not found"
fi
# Old results survive a replacement that runs out of space.
if ok disk/old "$B" run s.yaml -o "$MNT/keep" -q; then
    cp -r "$MNT/keep" "$T/keep.ref"
    dd if=/dev/zero of="$MNT/fill" bs=1k count=60 2>/dev/null
    fs_expect disk/full-keeps-old-results 1 "No space left on device" \
        "$B" run s.yaml -o "$MNT/keep" -q --seed 5
    diff -r "$T/keep.ref" "$MNT/keep" >/dev/null && pass disk/old-results-intact ||
        fail disk/old-results-intact "$(diff -r "$T/keep.ref" "$MNT/keep" | head -3)"
fi
umount "$MNT"
mount -t tmpfs -o size=1m,ro tmpfs "$MNT"
fs_expect disk/read-only 1 "$MNT/out\.lock: error: cannot create lock file: Read-only file system" \
    "$B" run s.yaml -o "$MNT/out" -q
fs_expect disk/read-only-merge 1 "$MNT/m\.lock: error: cannot create lock file: Read-only file system" \
    "$B" merge -o "$MNT/m" -q shards/1 shards/2
umount "$MNT"
MNT=""
