#!/bin/sh
# PBT against random search on the digits example (docs/benchmarks.md, "PBT on digits"):
# the same total compute (128 epochs: PBT's 8 members x 8 segments of 2 epochs, random
# search's 8 trials of 16 epochs), the same space (lr, momentum, batch, weight decay; 64
# relu hidden units) and the same 2 worker ranks (mpiexec -n 3), for 5 seeds. Prints each
# run's best validation loss and accuracy, and the medians.
#
#   bench/pbt_digits.sh [BUILD_DIR] [SEEDS]        defaults: build, "1 2 3 4 5"
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
seeds=${2:-1 2 3 4 5}
h5tune="$build/apps/h5tune/h5tune"
[ -x "$h5tune" ] || { echo "pbt_digits.sh: $h5tune not built" >&2; exit 2; }
[ -x "$build/examples/digits/h5tune-digits" ] || { echo "pbt_digits.sh: h5tune-digits not built" >&2; exit 2; }
h5tune=$(cd "$(dirname "$h5tune")" && pwd)/h5tune
PATH="$(cd "$build/examples/digits" && pwd):$PATH"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

work=$(mktemp -d "${TMPDIR:-/tmp}/h5tune-pbt-digits.XXXXXX")
trap 'rm -rf "$work"' EXIT
pbt="$here/../examples/digits/digits_pbt.toml"

# Random search: the PBT study's space and program, whole 16-epoch trials.
random_study() {
  sed -e 's/^name = .*/name = "digits-pbt-baseline"/' -e 's/^max_trials = .*/max_trials = 8/' \
      -e 's/^kind = "pbt"/kind = "random"/' -e '/^population =/d' -e '/^interval =/d' -e '/^generations =/d' \
      -e 's/"--activation", "relu"\]/"--activation", "relu", "--epochs", "16"]/' "$pbt"
}

echo "# $(date -u +%F) $(uname -n), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for seed in $seeds; do
  sed -e "s/^seed = .*/seed = $seed/" -e "s/^log = .*/log = \"pbt-$seed.h5\"/" "$pbt" > "$work/pbt-$seed.toml"
  random_study | sed -e "s/^seed = .*/seed = $seed/" -e "s/^log = .*/log = \"random-$seed.h5\"/" > "$work/random-$seed.toml"
  for kind in pbt random; do
    mpiexec -n 3 --oversubscribe "$h5tune" run --quiet "$work/$kind-$seed.toml" > /dev/null
    "$h5tune" export --format csv -o "$work/$kind-$seed.csv" "$work/$kind-$seed.h5"
  done
done

/usr/bin/python3 - "$work" $seeds <<'PY'
import csv, statistics, sys
work, seeds = sys.argv[1], sys.argv[2:]
def best(path):
    rows = [r for r in csv.DictReader(open(path)) if r["state"] == "complete"]
    b = min(rows, key=lambda r: float(r["val_loss"]))
    epochs = sum(int(r["budget"]) if int(r["budget"]) > 0 else 16 for r in rows)
    return float(b["val_loss"]), float(b["val_acc"]), epochs, len(rows)
res = {k: [best(f"{work}/{k}-{s}.csv") for s in seeds] for k in ("pbt", "random")}
print(f"{'seed':>4}  {'pbt val_loss':>12}  {'pbt acc':>7}  {'random val_loss':>15}  {'random acc':>10}  epochs pbt/random")
for i, s in enumerate(seeds):
    p, r = res["pbt"][i], res["random"][i]
    print(f"{s:>4}  {p[0]:12.4f}  {p[1]:7.4f}  {r[0]:15.4f}  {r[1]:10.4f}  {p[2]}/{r[2]}")
med = lambda k, j: statistics.median(x[j] for x in res[k])
print(f"median  pbt val_loss {med('pbt', 0):.4f} (acc {med('pbt', 1):.4f})  "
      f"random val_loss {med('random', 0):.4f} (acc {med('random', 1):.4f})")
PY
