#!/usr/bin/env bash
# MPI check: builds ns-3 3.37 from Debian's source with its distributed simulator (--enable-mpi,
# Open MPI) and edge-llm inside it as contrib/edge-llm, like check-in-tree.sh, then runs one
# packet-level round of scenarios/collapipe-mpi.json (4 cells) with examples/edge-llm-mpi.cc
# on 1 rank and on 2 ranks, and requires
#   - byte-identical tasks.csv and summary.csv (every task's start and end, to the nanosecond);
#   - a refusal, with a message, of more ranks than cells;
# and reports the speed-up of 2 ranks over 1 (wall time of the simulation and of the process).
#
#   scripts/check-mpi.sh          (as root the first time: enables deb-src, installs Open MPI)
#   EDGE_LLM_MPI_DIR=/some/dir RANKS=2 scripts/check-mpi.sh
#
# The source is fetched once and reused, and the build is incremental (ccache when present):
# the first run builds the modules edge-llm needs (about an hour on 2 cores), later ones only
# what changed. Only the release profile and the one example are built.
set -euo pipefail

module_dir=$(cd "$(dirname "$0")/.." && pwd)
work=${EDGE_LLM_MPI_DIR:-/tmp/edge-llm-mpi}
jobs=${JOBS:-2}
ranks=${RANKS:-2}
scenario=${SCENARIO:-scenarios/collapipe-mpi.json}

bash "$module_dir/scripts/setup.sh"
. "$module_dir/scripts/ns3-source-tree.sh"
src=$(ns3_source_tree "$work")

cd "$src"
# No precompiled headers: CMake regenerates them whenever it re-runs (a file added to the
# module is enough), and a new header makes every ccache entry miss.
if ! grep -qs 'NS3_MPI:BOOL=ON' cmake-cache/CMakeCache.txt ||
    ! grep -qs 'NS3_PRECOMPILE_HEADERS:BOOL=OFF' cmake-cache/CMakeCache.txt ||
    ! grep -qs 'NS3_ENABLED_MODULES:STRING=edge-llm;mpi' cmake-cache/CMakeCache.txt; then
    ./ns3 configure -d release --enable-mpi --enable-examples --disable-tests \
        --disable-precompiled-headers \
        --enable-modules="edge-llm;mpi" --filter-module-examples-and-tests="edge-llm"
fi
# ns-3.37's driver caps -j at (cores - 1); build its CMake cache directly.
cmake --build cmake-cache -j "$jobs" --target edge-llm-mpi
program=$(find build -name 'ns3.37-edge-llm-mpi*' -type f -perm -u+x | head -1)
if [ -z "$program" ]; then
    echo "check-mpi: the example edge-llm-mpi was not built" >&2
    exit 1
fi
program=$src/$program
export LD_LIBRARY_PATH=$src/build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# Open MPI refuses root unless told; the machines that run this are single-user containers
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
out=$work/results
rm -rf "$out"
mkdir -p "$out"

cd "$src/contrib/edge-llm"
run() { # ranks, folder
    local start end
    start=$(date +%s.%N)
    mpirun --oversubscribe -np "$1" "$program" "$scenario" --outputDir="$out/$2" \
        > "$out/$2.log" 2>&1 || {
        cat "$out/$2.log" >&2
        echo "check-mpi: the run on $1 rank(s) failed" >&2
        exit 1
    }
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}
wall1=$(run 1 ranks-1)
wallN=$(run "$ranks" "ranks-$ranks")
cat "$out/ranks-1.log" "$out/ranks-$ranks.log"

failed=0
for file in tasks.csv summary.csv; do
    if cmp -s "$out/ranks-1/$file" "$out/ranks-$ranks/$file"; then
        echo "check-mpi: $file identical on 1 and $ranks ranks ($(wc -l < "$out/ranks-1/$file") lines)"
    else
        echo "check-mpi: $file differs between 1 and $ranks ranks:" >&2
        diff "$out/ranks-1/$file" "$out/ranks-$ranks/$file" | head -20 >&2 || true
        failed=1
    fi
done

# more ranks than cells: refused with a message naming the partitions
cells=$(grep -A4 '"cells"' "$scenario" | grep -m1 '"count"' | grep -oE '[0-9]+')
if mpirun --oversubscribe -np $((cells + 1)) "$program" "$scenario" --outputDir="$out/too-many" \
    > "$out/too-many.log" 2>&1; then
    echo "check-mpi: $((cells + 1)) ranks for $cells cells were not refused" >&2
    failed=1
elif ! grep -q "partitions=$((cells + 1))" "$out/too-many.log"; then
    echo "check-mpi: $((cells + 1)) ranks failed without naming the partitions:" >&2
    head -5 "$out/too-many.log" >&2
    failed=1
else
    echo "check-mpi: $((cells + 1)) ranks for $cells cells refused: $(grep -m1 "partitions=" "$out/too-many.log")"
fi

sim1=$(grep -oE 'simulator [0-9.e+-]+ s wall \(the slowest' "$out/ranks-1.log" | awk '{print $2}')
simN=$(grep -oE 'simulator [0-9.e+-]+ s wall \(the slowest' "$out/ranks-$ranks.log" | awk '{print $2}')
awk -v r="$ranks" -v s1="$sim1" -v sn="$simN" -v w1="$wall1" -v wn="$wallN" 'BEGIN {
    printf "check-mpi: speed-up on %s ranks: simulation %.2fx (%.2f s -> %.2f s wall), whole process %.2fx (%.2f s -> %.2f s)\n", r, s1 / sn, s1, sn, w1 / wn, w1, wn }'
[ "$failed" -eq 0 ]
echo "check-mpi: passed"
