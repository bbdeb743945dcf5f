#!/usr/bin/env bash
# In-tree check: builds edge-llm inside Debian's ns-3 3.37 source tree, as contrib/edge-llm, in
# ns-3's default build profile (asserts and logging on), and runs the module's test suites with
# ns-3's own test.py.
#
#   scripts/check-in-tree.sh            (as root the first time: enables deb-src, installs tools)
#   EDGE_LLM_IN_TREE_DIR=/some/dir scripts/check-in-tree.sh
#
# The ns-3 source is fetched once with `apt-get source ns3` and reused; the module is copied in
# afresh on every run. Only the modules edge-llm needs (and csma, which 3.37's test runner needs)
# are configured, and only edge-llm's examples and tests are built.
set -euo pipefail

module_dir=$(cd "$(dirname "$0")/.." && pwd)
work=${EDGE_LLM_IN_TREE_DIR:-/tmp/edge-llm-in-tree}
jobs=${JOBS:-2}

bash "$module_dir/scripts/setup.sh"

. "$module_dir/scripts/ns3-source-tree.sh"
src=$(ns3_source_tree "$work")

cd "$src"
./ns3 configure -d default --enable-tests --enable-examples \
    --enable-modules="edge-llm;csma" --filter-module-examples-and-tests="edge-llm"
# ns-3.37's driver caps -j at (cores - 1); build its CMake cache directly.
cmake --build cmake-cache -j "$jobs"

mapfile -t suites < <(./ns3 run --no-build "test-runner --list" 2> /dev/null | grep -oE '^ *edge-llm-[a-z0-9-]+' | tr -d ' ')
if [ ${#suites[@]} -eq 0 ]; then
    echo "check-in-tree: no edge-llm test suite is registered in ns-3's test runner" >&2
    exit 1
fi
failed=0
for suite in "${suites[@]}"; do
    if ! ./test.py --no-build --suite="$suite"; then
        failed=$((failed + 1))
    fi
done
echo "check-in-tree: $((${#suites[@]} - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
