#!/bin/sh
# Short real trials: 600 x `h5tune-bench-sleep 0.1` through `h5tune run` on 3 worker ranks, against the
# ideal 600 * 0.1 / 3 = 20 s (docs/benchmarks.md, "Short trials").
#
#   bench/short_trials.sh [BUILD_DIR]          default: build
#
# Prints the wall time, the ratio to the ideal, and where the rest went: the command's own
# cost outside h5tune (the same command run 50 times in a row by the shell), the trial
# time the workers measured, and the gap between a worker's trials (dispatch).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
h5tune="$build/apps/h5tune/h5tune"
[ -x "$h5tune" ] || { echo "short_trials.sh: $h5tune not built" >&2; exit 2; }
h5tune=$(cd "$(dirname "$h5tune")" && pwd)/h5tune
[ -x "$build/bench/h5tune-bench-sleep" ] || { echo "short_trials.sh: $build/bench/h5tune-bench-sleep not built (H5TUNE_BENCH=ON)" >&2; exit 2; }
PATH="$(cd "$build/bench" && pwd):$PATH"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

work=$(mktemp -d "${TMPDIR:-/tmp}/h5tune-short-trials.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$here/short_trials.toml" "$work/"

echo "# $(date -u +%F) $(uname -n), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
mpiexec -n 4 --oversubscribe "$h5tune" run --quiet "$work/short_trials.toml" > "$work/run.txt"
end=$(date +%s.%N)

# The command alone, back to back, without h5tune.
base_start=$(date +%s.%N)
i=0
while [ $i -lt 50 ]; do h5tune-bench-sleep 0.1 > /dev/null; i=$((i + 1)); done
base_end=$(date +%s.%N)

"$h5tune" export --format csv -o "$work/trials.csv" "$work/short_trials.h5"
/usr/bin/python3 - "$work/trials.csv" "$start" "$end" "$base_start" "$base_end" <<'PY'
import csv, sys
from collections import defaultdict
path, start, end, base_start, base_end = sys.argv[1], *map(float, sys.argv[2:])
rows = list(csv.DictReader(open(path)))
wall = end - start
ideal = len(rows) * 0.1 / 3
complete = sum(r["state"] == "complete" for r in rows)
run = [float(r["t_finished"]) - float(r["t_started"]) for r in rows]
by_rank = defaultdict(list)
for r in rows:
    by_rank[r["rank"]].append((float(r["t_started"]), float(r["t_finished"])))
gaps = []
for trials in by_rank.values():
    trials.sort()
    gaps += [b[0] - a[1] for a, b in zip(trials, trials[1:])]
first = min(float(r["t_started"]) for r in rows)
last = max(float(r["t_finished"]) for r in rows)
print(f"trials={len(rows)} complete={complete}")
print(f"wall_s={wall:.2f} ideal_s={ideal:.2f} ratio={wall / ideal:.3f}")
print(f"first_start_to_last_finish_s={last - first:.2f} ratio_in_run={(last - first) / ideal:.3f}")
print(f"startup_and_shutdown_s={wall - (last - first):.2f} "
      f"(start_to_first_trial_s={first - start:.2f} last_trial_to_exit_s={end - last:.2f})")
print(f"command_alone_ms={(base_end - base_start) / 50 * 1e3:.1f}")
print(f"trial_as_measured_by_worker_ms={sum(run) / len(run) * 1e3:.1f}")
print(f"gap_between_trials_on_a_worker_ms={sum(gaps) / len(gaps) * 1e3:.2f} (max {max(gaps) * 1e3:.2f})")
PY
