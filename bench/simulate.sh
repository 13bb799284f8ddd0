#!/bin/sh
# Rank 0 at scale, by simulation (docs/benchmarks.md, "Simulated scale"): `h5tune simulate`
# runs the real manager, strategy and log of bench/simulate.toml against W simulated workers
# (log-normal trial durations, median 30 s, sigma 0.5) on a virtual clock charged with rank
# 0's measured thread CPU time, for each strategy and W, with 20 x W trials.
#
#   bench/simulate.sh [BUILD_DIR] [STRATEGIES] [WORKER_COUNTS]
#       defaults: build  "random tpe gp"  "256 1024 4096"
#   GP_MAX_TRIALS=N  caps gp's trials (default: no cap; 20 x 4096 gp trials take about 2 minutes here)
#   REAL_LIMIT=S     stops each run after S real seconds (SIGINT: the report covers the
#                    trials finished so far, running ones interrupted; marked "stopped")
#
# Prints one Markdown table row per run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
strategies=${2:-random tpe gp}
counts=${3:-256 1024 4096}
h5tune="$build/apps/h5tune/h5tune"
[ -x "$h5tune" ] || { echo "simulate.sh: $h5tune not built" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/h5tune-simulate.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "# $(date -u +%F) $(uname -n), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| strategy | workers | trials | makespan s | utilization | waiting for rank 0 | drain | before drain | rank-0 busy | ask ms/trial | tell ms/trial | log ms/trial | real s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for strategy in $strategies; do
  sed "s/^kind = .*/kind = \"$strategy\"/" "$here/simulate.toml" > "$work/$strategy.toml"
  for w in $counts; do
    trials=$((20 * w))
    if [ "$strategy" = gp ] && [ -n "${GP_MAX_TRIALS:-}" ] && [ "$trials" -gt "$GP_MAX_TRIALS" ]; then
      trials=$GP_MAX_TRIALS
    fi
    status=0
    if [ -n "${REAL_LIMIT:-}" ]; then
      timeout --preserve-status -s INT "$REAL_LIMIT" "$h5tune" simulate "$work/$strategy.toml" --workers "$w" --trials "$trials" --json \
        > "$work/out.json" || status=$?
    else
      "$h5tune" simulate "$work/$strategy.toml" --workers "$w" --trials "$trials" --json > "$work/out.json" || status=$?
    fi
    [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || { echo "simulate.sh: h5tune simulate exited with $status" >&2; exit 1; }
    python3 - "$work/out.json" "$trials" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if r["stopped_by_signal"]:
    r["strategy"] += f" (stopped at {r['trials']:,} of {int(sys.argv[2]):,})"
p = r["rank0_real_ms_per_trial"]
pct = lambda x: f"{100 * x:.2f} %"
print(f"| {r['strategy']} | {r['workers']:,} | {r['trials']:,} | {r['makespan_seconds']:.0f} | {pct(r['utilization'])} "
      f"| {pct(r['waiting_fraction'])} | {pct(r['drain_fraction'])} | {pct(r['utilization_before_drain'])} "
      f"| {pct(r['rank0_busy_fraction'])} | {p['ask']:.3f} | {p['tell']:.3f} | {p['log']:.3f} | {r['real_seconds']:.1f} |")
PY
  done
done
