#!/usr/bin/env bash
# Installs what edge-llm needs from Debian 12's packages, and only what is missing.
# Quick when everything is there (one dpkg-query per package, no network).
#
#   scripts/setup.sh              required packages and the optional LibTorch engine
#   EDGE_LLM_WITH_TORCH=0 scripts/setup.sh   required packages only
set -euo pipefail

required=(
    cmake g++ make ccache pkg-config
    libns3-dev ns3            # ns3 ships the helper binaries libns3-dev's CMake targets check for
    libgsl-dev libsqlite3-dev libxml2-dev   # named by ns-3's CMake targets, not pulled in by libns3-dev
    libeigen3-dev libboost-dev nlohmann-json3-dev
    gnuplot-nox
    slurm-wlm munge           # the sweep test runs a single-node Slurm (scripts/slurm-local.sh)
    dpkg-dev                  # apt-get source ns3: the in-tree and MPI builds (scripts/ns3-source-tree.sh)
    libopenmpi-dev openmpi-bin # ns-3's distributed simulator (scripts/check-mpi.sh)
)
optional=(libtorch-dev libopenblas0-pthread) # OpenBLAS: LibTorch is ~30x slower on the reference BLAS

missing_of() {
    local p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            echo "$p"
        fi
    done
}

mapfile -t missing < <(missing_of "${required[@]}")
mapfile -t missing_optional < <(missing_of "${optional[@]}")
if [ "${EDGE_LLM_WITH_TORCH:-1}" = "0" ]; then
    missing_optional=()
fi

if [ ${#missing[@]} -eq 0 ] && [ ${#missing_optional[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "edge-llm setup: missing Debian packages: ${missing[*]} ${missing_optional[*]}" >&2
    echo "edge-llm setup: run as root, or: sudo apt-get install ${missing[*]} ${missing_optional[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "edge-llm setup: installing ${missing[*]} ${missing_optional[*]}"
apt-get update -q
if [ ${#missing[@]} -gt 0 ]; then
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [ ${#missing_optional[@]} -gt 0 ]; then
    if ! apt-get install -y -q --no-install-recommends "${missing_optional[@]}"; then
        echo "edge-llm setup: WARNING: optional LibTorch packages (${missing_optional[*]}) could not be" \
            "installed; the LibTorch engine will not be built" >&2
    fi
fi
