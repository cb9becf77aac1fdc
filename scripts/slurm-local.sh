#!/usr/bin/env bash
# A one-node Slurm cluster on this Debian machine, for trying deploy/slurm/ and for
# `deno task test:slurm`. Run as root.
#
#   scripts/slurm-local.sh start    install slurm-wlm and munge if missing, write a one-node
#                                   slurm.conf for this machine's real CPUs and memory, start
#                                   munged (unless one already answers), slurmctld and slurmd,
#                                   and wait until `sinfo` shows the node idle
#   scripts/slurm-local.sh stop     cancel every job, stop the daemons this script started and
#                                   remove its configuration and state
#   scripts/slurm-local.sh status   say whether the cluster is up (exit 0) or not (exit 3)
#
# Both start and stop are idempotent. Any failure exits non-zero with the reason (and the tail of
# the daemon's log when a daemon is at fault).
#
# Environment:
#   MAHLER_SLURM_DIR      state, spool, logs and pid files (default /var/tmp/mahler-slurm)
#   MAHLER_SLURM_TIMEOUT  seconds to wait for the node to become idle (default 60)
#
# The configuration goes to /etc/slurm/slurm.conf, where every Slurm command looks for it, and
# carries a marker line: a slurm.conf without that marker is never overwritten or removed.
set -euo pipefail

STATE_DIR="${MAHLER_SLURM_DIR:-/var/tmp/mahler-slurm}"
TIMEOUT="${MAHLER_SLURM_TIMEOUT:-60}"
CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
MARKER="# Written by Mahler's scripts/slurm-local.sh: a one-node local cluster."
MUNGE_KEY=/etc/munge/munge.key

say() { echo "slurm-local: $*"; }
STARTING=0
fail() {
  echo "slurm-local: error: $*" >&2
  if [ "$STARTING" -eq 1 ]; then echo "slurm-local: '$0 stop' removes what was started" >&2; fi
  exit 1
}

# Prints the pid recorded in a pid file when that process is alive.
live_pid() {
  local file="$1" pid
  [ -f "$file" ] || return 1
  pid="$(cat "$file" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# Shows the end of a daemon's log, to explain a failure.
log_tail() {
  local log="$STATE_DIR/log/$1.log"
  if [ -s "$log" ]; then
    echo "--- last lines of $log:" >&2
    tail -n 15 "$log" >&2
  fi
}

require_root() {
  [ "$(id -u)" -eq 0 ] || fail "must run as root (it installs packages and starts daemons)"
}

install_packages() {
  local missing=()
  command -v slurmctld >/dev/null 2>&1 || missing+=(slurmctld)
  command -v slurmd >/dev/null 2>&1 || missing+=(slurmd)
  command -v sbatch >/dev/null 2>&1 || missing+=(slurm-client)
  command -v munged >/dev/null 2>&1 || missing+=(munge)
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: install slurm-wlm and munge yourself"
  say "installing slurm-wlm and munge with apt-get (missing: ${missing[*]}) ..."
  apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null ||
    fail "apt-get install -y slurm-wlm munge failed"
}

munge_works() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

start_munge() {
  if munge_works; then
    say "munged already answers; using it"
    return 0
  fi
  if [ ! -s "$MUNGE_KEY" ]; then
    say "generating a munge key in $MUNGE_KEY"
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null 2>&1; then
      mungekey --create --keyfile="$MUNGE_KEY" --force
    else
      dd if=/dev/urandom bs=1 count=1024 of="$MUNGE_KEY" status=none
    fi
  fi
  local user=root
  if id munge >/dev/null 2>&1; then user=munge; fi
  chown "$user:" "$MUNGE_KEY" /etc/munge
  chmod 0400 "$MUNGE_KEY"
  chmod 0700 /etc/munge
  mkdir -p /run/munge /var/lib/munge /var/log/munge
  chown "$user:" /run/munge /var/lib/munge /var/log/munge
  chmod 0755 /run/munge
  say "starting munged"
  local args=(--pid-file="$STATE_DIR/munged.pid" --log-file="$STATE_DIR/log/munged.log")
  if [ "$user" = root ]; then
    /usr/sbin/munged --force "${args[@]}" || fail "munged did not start"
  else
    chown munge: "$STATE_DIR/log"
    touch "$STATE_DIR/munged.pid" && chown munge: "$STATE_DIR/munged.pid"
    runuser -u munge -- /usr/sbin/munged "${args[@]}" || {
      log_tail munged
      fail "munged did not start"
    }
    chown root: "$STATE_DIR/log"
  fi
  echo started >"$STATE_DIR/munged.ours"
  for _ in $(seq 1 50); do
    munge_works && return 0
    sleep 0.1
  done
  log_tail munged
  fail "munged started but munge -n | unmunge fails"
}

write_conf() {
  local node cpus_line
  node="$(hostname -s)"
  # slurmd -C prints this machine's real node line (CPUs, sockets, cores, threads, memory).
  cpus_line="$(slurmd -C 2>/dev/null | grep '^NodeName=' | sed -E 's/ UpTime=.*//')" ||
    fail "slurmd -C could not describe this machine"
  [ -n "$cpus_line" ] || fail "slurmd -C printed no NodeName line"
  mkdir -p "$CONF_DIR"
  cat >"$CONF.tmp" <<EOF
$MARKER
# State, spool and logs: $STATE_DIR. Remove with: scripts/slurm-local.sh stop
ClusterName=mahler-local
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$STATE_DIR/state
SlurmdSpoolDir=$STATE_DIR/spool
SlurmctldPidFile=$STATE_DIR/slurmctld.pid
SlurmdPidFile=$STATE_DIR/slurmd.pid
SlurmctldLogFile=$STATE_DIR/log/slurmctld.log
SlurmdLogFile=$STATE_DIR/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=300
$cpus_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$CONF.tmp" "$CONF"
  say "wrote $CONF: $cpus_line"
}

node_state() { sinfo -h -N -o '%T' 2>/dev/null | head -n 1; }

start() {
  require_root
  if [ -f "$CONF" ] && grep -qF "$MARKER" "$CONF" &&
    live_pid "$STATE_DIR/slurmctld.pid" >/dev/null && live_pid "$STATE_DIR/slurmd.pid" >/dev/null; then
    case "$(node_state)" in
    idle | mixed | allocated | completing)
      say "already running ($(sinfo -h -N -o '%N %T, %c CPUs, %m MB' | head -n 1))"
      return 0
      ;;
    esac
  fi
  if pgrep -x slurmctld >/dev/null || pgrep -x slurmd >/dev/null; then
    if ! live_pid "$STATE_DIR/slurmctld.pid" >/dev/null && ! live_pid "$STATE_DIR/slurmd.pid" >/dev/null; then
      fail "a slurmctld or slurmd not started by this script is running: stop it first"
    fi
  fi
  if [ -f "$CONF" ] && ! grep -qF "$MARKER" "$CONF"; then
    fail "$CONF exists and was not written by this script: refusing to overwrite it"
  fi
  install_packages
  STARTING=1
  mkdir -p "$STATE_DIR/state" "$STATE_DIR/spool" "$STATE_DIR/log"
  chmod 0755 "$STATE_DIR"
  start_munge
  write_conf
  if ! live_pid "$STATE_DIR/slurmctld.pid" >/dev/null; then
    say "starting slurmctld"
    # -c: start from a clean state (no jobs from an earlier cluster); -i: ignore stale state.
    slurmctld -c -i || {
      log_tail slurmctld
      fail "slurmctld did not start"
    }
  fi
  if ! live_pid "$STATE_DIR/slurmd.pid" >/dev/null; then
    say "starting slurmd"
    slurmd || {
      log_tail slurmd
      fail "slurmd did not start"
    }
  fi
  say "waiting up to ${TIMEOUT}s for the node to be idle ..."
  local state="" waited=0
  while [ "$waited" -lt $((TIMEOUT * 5)) ]; do
    state="$(node_state)"
    case "$state" in
    idle) break ;;
    down* | drain* | fail*)
      scontrol update nodename="$(hostname -s)" state=resume >/dev/null 2>&1 || true
      ;;
    esac
    if ! live_pid "$STATE_DIR/slurmctld.pid" >/dev/null; then
      log_tail slurmctld
      fail "slurmctld exited"
    fi
    if ! live_pid "$STATE_DIR/slurmd.pid" >/dev/null; then
      log_tail slurmd
      fail "slurmd exited"
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  if [ "$state" != idle ]; then
    log_tail slurmctld
    log_tail slurmd
    fail "the node is '${state:-not listed}' after ${TIMEOUT}s, not idle"
  fi
  say "up: $(sinfo -h -N -o '%N %T, %c CPUs, %m MB' | head -n 1); partition $(sinfo -h -o %P | head -n 1)"
}

# Sends TERM to a daemon from its pid file and waits for it, then KILL.
stop_daemon() {
  local name="$1" pid
  pid="$(live_pid "$STATE_DIR/$name.pid")" || return 0
  say "stopping $name (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

stop() {
  require_root
  local any=0
  if live_pid "$STATE_DIR/slurmctld.pid" >/dev/null; then
    any=1
    local jobs=()
    mapfile -t jobs < <(squeue -h -o %A 2>/dev/null || true)
    if [ ${#jobs[@]} -gt 0 ]; then
      say "cancelling ${#jobs[@]} jobs"
      scancel --quiet "${jobs[@]}" >/dev/null 2>&1 || true
    fi
  fi
  live_pid "$STATE_DIR/slurmd.pid" >/dev/null && any=1
  stop_daemon slurmd
  stop_daemon slurmctld
  if [ -f "$STATE_DIR/munged.ours" ]; then
    live_pid "$STATE_DIR/munged.pid" >/dev/null && any=1
    stop_daemon munged
  fi
  if [ -f "$CONF" ] && grep -qF "$MARKER" "$CONF"; then rm -f "$CONF"; fi
  rm -rf "$STATE_DIR"
  if [ "$any" -eq 1 ]; then say "stopped and cleaned up"; else say "not running (cleaned up)"; fi
}

status() {
  local ctld slurmd
  ctld="$(live_pid "$STATE_DIR/slurmctld.pid" || echo -)"
  slurmd="$(live_pid "$STATE_DIR/slurmd.pid" || echo -)"
  if [ "$ctld" = - ] && [ "$slurmd" = - ]; then
    say "not running"
    exit 3
  fi
  say "slurmctld pid $ctld, slurmd pid $slurmd"
  sinfo -N -o '%N %P %T %c %m' || fail "sinfo cannot reach slurmctld"
  squeue || true
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*)
  echo "usage: $0 start|stop|status" >&2
  exit 2
  ;;
esac
