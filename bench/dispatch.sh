#!/bin/sh
# Dispatch benchmark, h5tune beside Optuna (docs/benchmarks.md, "Dispatch").
#
#   bench/dispatch.sh [BUILD_DIR] [TRIALS]        defaults: build 200000
#
# Runs build/bench/dispatch_bench with 1 rank (in-process mode) and 2, 3 and 4 MPI ranks,
# then bench/optuna_dispatch.py, and prints one Markdown table of each. Set RANKS to
# choose the rank counts (default "1 2 3 4") and OPTUNA=0 to skip Optuna.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
trials=${2:-200000}
ranks_list=${RANKS:-1 2 3 4}
bench="$build/bench/dispatch_bench"
[ -x "$bench" ] || { echo "dispatch.sh: $bench not built (cmake --build $build --target dispatch_bench)" >&2; exit 2; }

# Open MPI refuses root without these; more ranks than cores need oversubscription.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
out=$(mktemp -d "${TMPDIR:-/tmp}/h5tune-dispatch.XXXXXX")
trap 'rm -rf "$out"' EXIT

echo "# $(date -u +%F) $(uname -n), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $trials trials"
for n in $ranks_list; do
  if [ "$n" -eq 1 ]; then
    "$bench" --trials "$trials" > "$out/$n.txt"
  else
    mpiexec -n "$n" --oversubscribe "$bench" --trials "$trials" > "$out/$n.txt"
  fi
done

# value KEY FILE: the value of `KEY=...` in FILE, or "-".
value() { sed -n "s/^$1=//p" "$2" | head -n 1 | grep . || echo -; }

echo
echo "| ranks | trials/s | us/trial | floor us/item | ratio | ping-pong us | rank-0 busy us | ask | serialize | messaging | tell | log | other |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in $ranks_list; do
  f="$out/$n.txt"
  echo "| $n | $(value h5tune_trials_per_s "$f") | $(value h5tune_us_per_trial "$f") | $(value raw_us_per_item "$f") |" \
       "$(value ratio_to_raw "$f") | $(value pingpong_rtt_us "$f") | $(value rank0_busy_us "$f") |" \
       "$(value rank0_ask_us "$f") | $(value rank0_serialize_us "$f") | $(value rank0_messaging_us "$f") |" \
       "$(value rank0_tell_us "$f") | $(value rank0_log_us "$f") | $(value rank0_other_us "$f") |"
done
echo
echo "Transport floor (same loop over MpiTransport), us/item:" \
     "$(for n in $ranks_list; do printf '%s ranks %s; ' "$n" "$(value transport_us_per_item "$out/$n.txt")"; done)"
echo "Log size: $(value log_bytes_per_trial "$out/$(echo "$ranks_list" | cut -d' ' -f1).txt") bytes per trial"

if [ "${OPTUNA:-1}" != 0 ]; then
  /usr/bin/python3 "$here/optuna_dispatch.py" > "$out/optuna.txt"
  f="$out/optuna.txt"
  echo
  echo "| peer (1 process) | trials/s |"
  echo "|---|---|"
  echo "| Optuna $(value optuna_version "$f"), in memory | $(value optuna_memory_trials_per_s "$f") |"
  echo "| Optuna, JournalFileStorage | $(value optuna_journal_trials_per_s "$f") |"
  echo "| Optuna, SQLite | $(value optuna_sqlite_trials_per_s "$f") |"
fi
