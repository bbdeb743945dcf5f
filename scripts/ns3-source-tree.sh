#!/usr/bin/env bash
# Sourced by the scripts that build edge-llm inside Debian's ns-3 3.37 source tree
# (check-in-tree.sh, check-mpi.sh). Defines:
#   ns3_source_tree WORK  fetches the source once into WORK with `apt-get source ns3` (enabling
#                         deb-src the first time, as root), copies this module in afresh as
#                         contrib/edge-llm, and prints the tree's path.

ns3_source_tree() {
    local work=$1
    local module_dir
    module_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    if ! ls "$work"/ns3-3.37/ns-3.37/ns3 > /dev/null 2>&1; then
        if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
            if [ "$(id -u)" -ne 0 ]; then
                echo "ns3-source-tree: deb-src is not enabled; run once as root" >&2
                return 1
            fi
            cat > /etc/apt/sources.list.d/edge-llm-deb-src.sources << 'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
            apt-get update -q >&2
        fi
        mkdir -p "$work"
        (cd "$work" && apt-get source -q ns3 >&2)
    fi
    local src="$work/ns3-3.37/ns-3.37"
    rm -rf "$src/contrib/edge-llm"
    mkdir -p "$src/contrib/edge-llm"
    tar -C "$module_dir" --exclude='./build*' --exclude='./.git' --exclude='./results' -cf - . |
        tar -C "$src/contrib/edge-llm" -xf -
    echo "$src"
}
