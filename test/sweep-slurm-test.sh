#!/usr/bin/env bash
# End to end: a 4-run sweep through a single-node Slurm started for the test (munged,
# slurmctld, slurmd on localhost; stopped and removed afterwards, also on failure), the same
# sweep on this machine with the same results, and a failed run reported and started again
# alone.
#
#   test/sweep-slurm-test.sh EDGE_LLM_SWEEP SOURCE_DIR WORK_DIR
set -euo pipefail

sweep_tool=$1
source_dir=$2
work=$3
sweep="$source_dir/test/sweeps/tiny-sweep.json"

# daemons a killed earlier run left behind hold the ports: stop them first
"$source_dir/scripts/slurm-local.sh" stop "$work/slurm" || true
rm -rf "$work"
mkdir -p "$work"
cleanup() {
    "$source_dir/scripts/slurm-local.sh" stop "$work/slurm" || true
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

eval "$("$source_dir/scripts/slurm-local.sh" start "$work/slurm")"

# the sweep through Slurm: one job array of 4 tasks
"$sweep_tool" --sweep="$sweep" --outputDir="$work/slurm-sweep" --mode=slurm | tee "$work/slurm.out"
grep -q "Slurm job array" "$work/slurm.out" || fail "no job array submitted"
ls "$work/slurm-sweep/logs/" | grep -q "_3.log" || fail "no log of array task 3"
ok=$(grep -c ',ok,' "$work/slurm-sweep/runs.csv" || true)
[ "$ok" = 4 ] || fail "$ok of 4 runs ok through Slurm"
# 2 points (dssda, even) x 3 metrics, n = 2 seeds each
rows=$(tail -n +2 "$work/slurm-sweep/summary.csv" | wc -l)
[ "$rows" = 6 ] || fail "summary.csv has $rows rows, expected 6"
tail -n +2 "$work/slurm-sweep/summary.csv" | cut -d, -f3 | grep -qv '^2$' && fail "a point without 2 seeds"

# the same description on this machine: the same results, byte for byte
"$sweep_tool" --sweep="$sweep" --outputDir="$work/local-sweep" --mode=local --jobs=2 > /dev/null
cmp <(sed 's|/[^,]*||g' "$work/slurm-sweep/runs.csv") <(sed 's|/[^,]*||g' "$work/local-sweep/runs.csv") ||
    fail "runs.csv differs between Slurm and local"
cmp "$work/slurm-sweep/summary.csv" "$work/local-sweep/summary.csv" ||
    fail "summary.csv differs between Slurm and local"

# a run that fails is reported (exit 3, its index), the others kept; fixed, it runs alone
cp "$work/slurm-sweep/run-2/scenario.json" "$work/scenario-2.json"
echo '{ "broken": ' > "$work/slurm-sweep/run-2/scenario.json"
rm -f "$work/slurm-sweep/run-2/status"
set +e
"$sweep_tool" --outputDir="$work/slurm-sweep" --mode=slurm --only=unfinished > "$work/retry.out"
code=$?
set -e
cat "$work/retry.out"
[ "$code" = 3 ] || fail "a failed run should end the sweep with exit 3, got $code"
grep -q "1 of 4 runs to do: 2" "$work/retry.out" || fail "only run 2 should have been started"
grep -q "did not finish: runs 2" "$work/retry.out" || fail "run 2 not reported"
grep -q '^2,even,1,failed' "$work/slurm-sweep/runs.csv" || fail "run 2 not marked failed"
head -1 "$work/slurm-sweep/run-2/status" | grep -q failed || fail "run 2's status"
cp "$work/scenario-2.json" "$work/slurm-sweep/run-2/scenario.json"
"$sweep_tool" --outputDir="$work/slurm-sweep" --mode=slurm --only=unfinished > "$work/fixed.out"
grep -q "1 of 4 runs to do: 2" "$work/fixed.out" || fail "only run 2 should run again"
cmp "$work/slurm-sweep/summary.csv" "$work/local-sweep/summary.csv" ||
    fail "after the retry the summary should equal the local one"
echo "PASS: 4 runs through Slurm equal to local; a failed run reported and re-run alone"
