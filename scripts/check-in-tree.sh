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

if ! ls "$work"/ns3-3.37/ns-3.37/ns3 > /dev/null 2>&1; then
    if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "check-in-tree: deb-src is not enabled; run once as root" >&2
            exit 1
        fi
        cat > /etc/apt/sources.list.d/edge-llm-deb-src.sources << 'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
        apt-get update -q
    fi
    if [ "$(id -u)" -eq 0 ] && ! command -v dpkg-source > /dev/null; then
        apt-get install -y -q --no-install-recommends dpkg-dev
    fi
    mkdir -p "$work"
    (cd "$work" && apt-get source -q ns3)
fi

src="$work/ns3-3.37/ns-3.37"
rm -rf "$src/contrib/edge-llm"
mkdir -p "$src/contrib/edge-llm"
tar -C "$module_dir" --exclude='./build*' --exclude='./.git' --exclude='./results' -cf - . |
    tar -C "$src/contrib/edge-llm" -xf -

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
