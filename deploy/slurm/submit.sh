#!/usr/bin/env bash
# Submits a sharded walk-forward to Slurm: an array job of N shards running
# deploy/slurm/optimize.sbatch, and the merge job chained to it with --dependency=afterok
# (cancelled, not left pending, when a shard fails).
#
#   deploy/slurm/submit.sh --shards N --out DIR [--config FILE] [--data PATH] [--parallel P]
#                          [--cpus C] [--wait] [-- SBATCH_OPTIONS...]
#
#   --shards N       number of shards: array tasks 0 to N-1 (or MAHLER_SHARDS)
#   --out DIR        output folder, new or empty, on a file system every node sees (or
#                    MAHLER_OUT); receives shard-0 ... shard-<N-1>, merged and logs/
#   --config FILE    configuration (default config/default.toml, or MAHLER_CONFIG)
#   --data PATH      data folder or file (default data/sample, or MAHLER_DATA)
#   --parallel P     run at most P shards at once (the array's %P throttle)
#   --cpus C         CPUs per shard, also its worker count (default 1)
#   --wait           wait for the merge job and exit with its status
#   SBATCH_OPTIONS   passed to both sbatch calls, e.g. --partition=batch --time=04:00:00
#
# Relative paths are taken from the Mahler checkout this script belongs to, which must be
# visible to every node at the same path. MAHLER_CMD, when set, replaces the command before
# `optimize` (see optimize.sbatch). Prints the two job ids.
set -euo pipefail

usage() {
  sed -n '6,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
fail() {
  echo "submit.sh: error: $*" >&2
  exit 1
}

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SHARDS="${MAHLER_SHARDS:-}"
OUT="${MAHLER_OUT:-}"
CONFIG="${MAHLER_CONFIG:-config/default.toml}"
DATA="${MAHLER_DATA:-data/sample}"
PARALLEL=""
CPUS=1
WAIT=0
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
  --shards) SHARDS="${2:-}" && shift 2 ;;
  --out) OUT="${2:-}" && shift 2 ;;
  --config) CONFIG="${2:-}" && shift 2 ;;
  --data) DATA="${2:-}" && shift 2 ;;
  --parallel) PARALLEL="${2:-}" && shift 2 ;;
  --cpus) CPUS="${2:-}" && shift 2 ;;
  --wait) WAIT=1 && shift ;;
  --)
    shift
    EXTRA=("$@")
    break
    ;;
  -h | --help) usage ;;
  *) echo "submit.sh: unknown argument '$1'" >&2 && usage ;;
  esac
done

[[ "$SHARDS" =~ ^[1-9][0-9]*$ ]] || fail "--shards must be a positive integer, got '${SHARDS}'"
[ -n "$OUT" ] || fail "--out is required"
[ -z "$PARALLEL" ] || [[ "$PARALLEL" =~ ^[1-9][0-9]*$ ]] || fail "--parallel must be a positive integer"
[[ "$CPUS" =~ ^[1-9][0-9]*$ ]] || fail "--cpus must be a positive integer"
command -v sbatch >/dev/null 2>&1 || fail "sbatch not found: is this a Slurm submission host?"

# Paths relative to the checkout, made absolute so that every job sees the same ones.
absolute() { case "$1" in /*) echo "$1" ;; *) echo "$ROOT/$1" ;; esac }
OUT="$(absolute "$OUT")"
CONFIG="$(absolute "$CONFIG")"
DATA="$(absolute "$DATA")"
[ -f "$CONFIG" ] || fail "configuration not found: $CONFIG"
[ -e "$DATA" ] || fail "data not found: $DATA"
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ]; then
  fail "$OUT exists and is not empty: choose a new output folder"
fi
mkdir -p "$OUT/logs" || fail "cannot create $OUT/logs"

export MAHLER_SHARDS="$SHARDS" MAHLER_OUT="$OUT" MAHLER_CONFIG="$CONFIG" MAHLER_DATA="$DATA"
export MAHLER_DIR="$ROOT"
ARRAY="0-$((SHARDS - 1))${PARALLEL:+%$PARALLEL}"

array_id="$(sbatch --parsable --array="$ARRAY" --cpus-per-task="$CPUS" \
  --job-name=mahler-shard --output="$OUT/logs/shard-%a.log" --chdir="$ROOT" \
  --export=ALL,MAHLER_STAGE=shard "${EXTRA[@]}" "$HERE/optimize.sbatch")" ||
  fail "sbatch refused the array job"
array_id="${array_id%%;*}"
echo "array job $array_id: $SHARDS shards ($ARRAY), logs in $OUT/logs/shard-<I>.log"

# shellcheck disable=SC2054 # the commas belong to --export's value
merge_args=(--dependency="afterok:$array_id" --kill-on-invalid-dep=yes --cpus-per-task="$CPUS"
  --job-name=mahler-merge --output="$OUT/logs/merge.log" --chdir="$ROOT"
  --export=ALL,MAHLER_STAGE=merge "${EXTRA[@]}")
merge_id="$(sbatch --parsable "${merge_args[@]}" "$HERE/optimize.sbatch")" ||
  fail "sbatch refused the merge job (array job $array_id is queued: scancel $array_id)"
merge_id="${merge_id%%;*}"
echo "merge job $merge_id: after the array job succeeds, into $OUT/merged"
[ "$WAIT" -eq 1 ] || exit 0

# Waits by polling the job's state (sbatch --wait polls at 2, 10, 42 ... s, and reports success
# for a merge cancelled because a shard failed).
job_state() {
  local s
  s="$(scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -n 1 | cut -d= -f2 || true)"
  [ -n "$s" ] || s="$(sacct -n -X -P -j "$1" -o State 2>/dev/null | head -n 1 | cut -d' ' -f1 || true)"
  echo "${s:-UNKNOWN}"
}
echo "waiting for merge job $merge_id ..."
while :; do
  state="$(job_state "$merge_id")"
  case "$state" in
  PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | REQUEUED | REQUEUE_HOLD | RESIZING | SIGNALING | STAGE_OUT)
    sleep "${MAHLER_POLL_SECONDS:-2}"
    ;;
  *) break ;;
  esac
done
if [ "$state" = COMPLETED ]; then
  echo "merge job $merge_id completed: $OUT/merged"
  exit 0
fi
scontrol -o show job "$array_id" 2>/dev/null |
  grep -v 'JobState=COMPLETED' | grep -o 'ArrayTaskId=[0-9]* .*JobState=[A-Z_]*' |
  sed -E 's/ArrayTaskId=([0-9]+) .*JobState=([A-Z_]+)/  shard \1: \2/' >&2 || true
fail "merge job $merge_id ended $state: see $OUT/logs/"
