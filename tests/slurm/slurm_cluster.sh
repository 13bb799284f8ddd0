#!/usr/bin/env bash
# A single-node Slurm (munged, slurmctld, slurmd) for the `slurm` tests, configured and run
# from a private directory. Installs nothing (scripts/install-deps.sh test does); run as root.
#
#   tests/slurm/slurm_cluster.sh start DIR   # writes DIR/slurm.conf, starts the daemons, waits for an idle node
#   tests/slurm/slurm_cluster.sh stop DIR    # stops the daemons it started (by their pid files)
#
# Clients find the cluster with SLURM_CONF=DIR/slurm.conf. Both commands are idempotent:
# start reuses daemons that answer, stop ignores daemons that are gone.
set -euo pipefail

action=${1:?usage: slurm_cluster.sh start|stop DIR}
dir=${2:?usage: slurm_cluster.sh start|stop DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
conf=$dir/slurm.conf
export SLURM_CONF=$conf
# Ports of their own, derived from DIR: the cluster never answers a real cluster's clients,
# and clusters of two build trees on one machine do not collide.
port_base=$((7000 + 2 * ($(printf %s "$dir" | cksum | cut -d' ' -f1) % 1000)))
ctld_port=${H5TUNE_SLURMCTLD_PORT:-$port_base}
slurmd_port=${H5TUNE_SLURMD_PORT:-$((port_base + 1))}
# munged is one per machine (its socket path is compiled into libmunge); we only stop the one we started.
munge_run=/run/munge
munge_pid=$dir/munged.pid

log() { echo "slurm_cluster: $*" >&2; }

# Polls `test_command` every 0.1 s until it succeeds or `seconds` pass.
wait_for() {
  local seconds=$1; shift
  local tries=$((seconds * 10))
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

write_conf() {
  local cpus mem_mb
  cpus=$(nproc)
  # Slurm refuses a node that reports less memory than configured: claim 80 % of MemTotal.
  mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  cat > "$conf" <<EOF
# Written by tests/slurm/slurm_cluster.sh: one node, no accounting, fast scheduling.
ClusterName=h5tune-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# Credentials expire after 10 s instead of 120 s: a requeued job starts again that much sooner.
AuthInfo=cred_expire=10
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmix
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# Jobs start about 1 s after sbatch.
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,sched_interval=2,bf_interval=2
# Finished jobs stay visible to scontrol show job for 5 minutes (there is no sacct).
MinJobAge=300
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
NodeName=node1 NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=node1 Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munge() {
  # Another munged (ours from an earlier start, or the machine's) serves us just as well.
  if [ -S "$munge_run/munge.socket.2" ] && munge -n </dev/null | unmunge >/dev/null 2>&1; then return 0; fi
  if [ ! -s /etc/munge/munge.key ]; then
    log "no /etc/munge/munge.key: install the munge package (scripts/install-deps.sh test)"
    exit 1
  fi
  mkdir -p "$munge_run"
  chown munge:munge "$munge_run"
  chmod 0755 "$munge_run"
  # munged refuses to start beside a stale socket of a dead daemon.
  rm -f "$munge_run/munge.socket.2" "$munge_run/munge.socket.2.lock"
  runuser -u munge -- /usr/sbin/munged --pid-file="$munge_run/munged.pid"
  cp "$munge_run/munged.pid" "$munge_pid"
  wait_for 10 sh -c 'munge -n </dev/null | unmunge' || { log "munged did not start"; exit 1; }
}

node_idle() { [ "$(sinfo -h -N -n node1 -o %t 2>/dev/null)" = idle ]; }

start() {
  for tool in munged slurmctld slurmd sinfo scontrol sbatch; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
      { log "$tool not found: run scripts/install-deps.sh test"; exit 1; }
  done
  [ -f "$conf" ] || write_conf
  start_munge
  # -c: a fresh controller forgets the jobs of an earlier, killed cluster.
  alive "$dir/slurmctld.pid" || /usr/sbin/slurmctld -c
  wait_for 10 scontrol ping || { log "slurmctld did not answer; see $dir/log/slurmctld.log"; exit 1; }
  alive "$dir/slurmd.pid" || /usr/sbin/slurmd -N node1
  # A node left down or drained by an earlier, killed cluster is put back in service.
  if ! wait_for 10 node_idle; then
    scontrol update NodeName=node1 State=RESUME >/dev/null 2>&1 || true
    wait_for 10 node_idle || { log "node1 is not idle: $(sinfo -N 2>&1); see $dir/log"; exit 1; }
  fi
  log "up: SLURM_CONF=$conf"
}

# Sends SIGTERM to the pid in `pid_file` and waits for the process to end (SIGKILL after 10 s).
stop_pid() {
  local pid_file=$1
  alive "$pid_file" || { rm -f "$pid_file"; return 0; }
  local pid
  pid=$(cat "$pid_file")
  kill -TERM "$pid" 2>/dev/null || true
  wait_for 10 sh -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pid_file"
}

stop() {
  # Jobs of the tests must not outlive the cluster (slurmstepd survives slurmd).
  if alive "$dir/slurmctld.pid"; then
    scancel --quiet --user=root >/dev/null 2>&1 || true
    wait_for 30 sh -c '[ -z "$(squeue -h -o %i -t PD,R,CG,CF,S 2>/dev/null)" ]' || log "jobs still running"
  fi
  stop_pid "$dir/slurmd.pid"
  stop_pid "$dir/slurmctld.pid"
  stop_pid "$munge_pid"
  log "stopped"
}

case $action in
  start) start ;;
  stop) stop ;;
  *) echo "usage: slurm_cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
