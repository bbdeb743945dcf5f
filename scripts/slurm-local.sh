#!/usr/bin/env bash
# A single-node Slurm on this machine, for the sweep test: munged, slurmctld and slurmd on
# localhost, every file (key, configuration, state, logs, sockets, PIDs) under one directory.
#
#   scripts/slurm-local.sh start DIR   configure and start; prints `export SLURM_CONF=...`
#   scripts/slurm-local.sh stop DIR    stop the daemons started with DIR (harmless if none)
#
# Needs Debian's slurm-wlm and munge (scripts/setup.sh installs them) and root: slurmd runs the
# jobs as their submitting user, which it must be able to become. No cgroups and no systemd:
# ProctrackType=proctrack/linuxproc, TaskPlugin=task/none.
set -euo pipefail

action=${1:-}
dir=${2:-}
if [ -z "$action" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop DIR" >&2
    exit 2
fi

stop() {
    local name pid
    for name in slurmd slurmctld munged; do
        if [ -f "$dir/run/$name.pid" ]; then
            pid=$(cat "$dir/run/$name.pid" 2>/dev/null || true)
            if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
                kill "$pid" 2>/dev/null || true
                for _ in $(seq 50); do
                    kill -0 "$pid" 2>/dev/null || break
                    sleep 0.1
                done
                kill -9 "$pid" 2>/dev/null || true
            fi
            rm -f "$dir/run/$name.pid"
        fi
    done
}

if [ "$action" = stop ]; then
    stop
    exit 0
fi
if [ "$action" != start ]; then
    echo "$0: unknown action '$action'; allowed: start, stop" >&2
    exit 2
fi

for tool in munged slurmctld slurmd sbatch; do
    if ! command -v "$tool" > /dev/null; then
        echo "$0: $tool is missing: install slurm-wlm and munge (scripts/setup.sh)" >&2
        exit 1
    fi
done
if [ "$(id -u)" -ne 0 ]; then
    echo "$0: a local slurmd must run as root" >&2
    exit 1
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
mkdir -p "$dir/run" "$dir/log" "$dir/state" "$dir/spool" "$dir/munge"
chmod 0700 "$dir/munge"
# a fresh key for this cluster only
if [ ! -f "$dir/munge/munge.key" ]; then
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    chmod 0400 "$dir/munge/munge.key"
fi
socket="$dir/munge/munge.socket"
# --force: the directories are root's, under a world-writable /tmp
munged --force -S "$socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
    --seed-file="$dir/munge/munged.seed"

host=$(hostname -s)
cpus=$(nproc)
memory=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
# ports of our own, away from a system Slurm's 6817 / 6818
ctld_port=${EDGE_LLM_SLURMCTLD_PORT:-16817}
d_port=${EDGE_LLM_SLURMD_PORT:-16818}
cat > "$dir/slurm.conf" << EOF
ClusterName=edgellm
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
# ready when the node is idle
for _ in $(seq 100); do
    if sinfo -h -o '%t' 2> /dev/null | grep -q '^idle'; then
        echo "export SLURM_CONF=$SLURM_CONF"
        exit 0
    fi
    sleep 0.2
done
echo "$0: the local Slurm did not come up; logs in $dir/log" >&2
tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
stop
exit 1
