#!/bin/sh
# show, export and report on a log of 1,000,000 trials (docs/benchmarks.md, "Analysis at scale").
#
#   bench/analysis_scale.sh [BUILD_DIR] [TRIALS]        defaults: build 1000000
#
# Writes a synthetic log with build/bench/scale_log (5 parameters, 2 metrics, a 3-step
# learning curve per trial, failed and pruned trials; bench/scale_log.cpp), then times `h5tune show`, `export --format csv` and `report`
# on it under /usr/bin/time -v and prints one Markdown table: wall time and peak resident
# set size of each command. Set KEEP=1 to keep the log and outputs (printed at the end).
set -eu

build=${1:-build}
trials=${2:-1000000}
h5tune="$build/apps/h5tune/h5tune"
bench="$build/bench/scale_log"
for exe in "$h5tune" "$bench"; do
  [ -x "$exe" ] || { echo "analysis_scale.sh: $exe not built (cmake --build $build --target h5tune_cli scale_log)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "analysis_scale.sh: needs GNU time (Debian package: time)" >&2; exit 2; }
out=$(mktemp -d "${TMPDIR:-/tmp}/h5tune-scale.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$out"' EXIT

echo "# $(date -u +%F) $(uname -n), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $trials trials"
/usr/bin/time -f "%e s, %M KiB" "$bench" "$out/run.h5" "$trials" 2> "$out/write.time" > "$out/bench.txt"
echo "written in $(cat "$out/write.time")"
echo "log: $(du -m "$out/run.h5" | cut -f1) MiB"
echo
echo "| command | wall time | peak RSS |"
echo "|---|---|---|"
measure() {
  name=$1; shift
  /usr/bin/time -v "$@" > "$out/$name.stdout" 2> "$out/$name.time"
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/$name.time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/$name.time")
  echo "| \`$name\` | $wall | $((rss / 1024)) MiB |"
}
measure "show" "$h5tune" show "$out/run.h5"
measure "export --format csv" "$h5tune" export "$out/run.h5" --format csv -o "$out/trials.csv"
measure "report" "$h5tune" report "$out/run.h5" -o "$out/report.html"
echo
echo "csv: $(wc -l < "$out/trials.csv") lines; report: $(du -k "$out/report.html" | cut -f1) KiB"
grep -o '<li>[^<]*</li>' "$out/report.html" | sed 's/<[^>]*>//g; s/^/note: /'
[ "${KEEP:-0}" != 1 ] || echo "kept: $out"
