#!/bin/sh
# Early stopping against full-budget random search (docs/benchmarks.md, "Early stopping"), on
# two tasks, with 1 worker and with 4:
#  - curves: synthetic learning curves with known final values, in one process through the
#    runtime (bench/early_stopping_curves.cpp; 81 configurations of up to 81 steps, rungs at
#    1, 3, 9, 27);
#  - digits: the digits example (examples/digits/digits_asha.toml's space and program) through
#    `h5tune run` (1 worker) and `mpiexec -n 5 --oversubscribe h5tune run` (4 workers); CONFIGS
#    configurations of up to 27 epochs, rungs at epochs 1, 3, 9.
# Every method samples the same configurations with the same trial seeds (random search, seed
# s): trial k gets the same parameters and seed in each run (the promote methods' configuration
# k, every segment of it, too). Full-budget random search trains all of them to the end; asha
# and hyperband (min_resource MIN_RESOURCE, default 1, reduction_factor 3) stop some, the
# promote methods train some further.
# Total compute is the sum over trials of the steps (epochs) each really ran, read from the
# objective (curves) or from the log's reports (digits: a trial's highest reported step). The
# best final metric is the final value of the best trial that ran to the end (curves: its true,
# noise-free value). bench/early_stopping_summary.py prints the tables.
#
# Full-budget random search on digits runs only with 1 worker (RANDOM_WORKERS): its trials
# do not depend on timing (every trial runs to the end, the suggestions and seeds follow the
# trial id, the training is deterministic), so with 4 workers it trains the same models to
# the same values at the same compute.
#
#   bench/early_stopping.sh [BUILD_DIR] [OUT_DIR]          defaults: build, early-stopping-results
# Environment: SEEDS="1 2 ... 10"  WORKERS="1 4"  CONFIGS=54 (digits)  EPOCHS=27 (digits)
#              CURVE_CONFIGS=81  CURVE_STEPS=81  RANDOM_WORKERS=1  TASKS="curves digits"
#              MIN_RESOURCE=1 (both tasks' rules: the first rung)  ETA=3 (reduction_factor)
#              METHODS="random asha hyperband" (digits)  CURVE_METHODS=random,asha,hyperband
#              (a method "hyperband-shared" is hyperband with shared_rungs = true;
#              "asha-promote" and "hyperband-promote" are the successive_halving strategy
#              with brackets = 1 and 0: promotions resume checkpoints, nothing is stopped)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
out=${2:-early-stopping-results}
seeds=${SEEDS:-1 2 3 4 5 6 7 8 9 10}
workers=${WORKERS:-1 4}
configs=${CONFIGS:-54}
epochs=${EPOCHS:-27}
curve_configs=${CURVE_CONFIGS:-81}
curve_steps=${CURVE_STEPS:-81}
random_workers=${RANDOM_WORKERS:-1}
tasks=${TASKS:-curves digits}
min_resource=${MIN_RESOURCE:-1}
eta=${ETA:-3}
methods=${METHODS:-random asha hyperband}
curve_methods=${CURVE_METHODS:-random,asha,hyperband}
python=${PYTHON:-/usr/bin/python3}

for exe in apps/h5tune/h5tune examples/digits/h5tune-digits bench/early_stopping_curves; do
  [ -x "$build/$exe" ] || { echo "early_stopping.sh: $build/$exe not built" >&2; exit 2; }
done
build=$(cd "$build" && pwd)
h5tune="$build/apps/h5tune/h5tune"
PATH="$build/examples/digits:$PATH"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/h5tune-early-stopping.XXXXXX")
curves_pid=
trap '[ -z "$curves_pid" ] || kill "$curves_pid" 2>/dev/null; rm -rf "$work"' EXIT

echo "# $(date -u +%F) $(uname -n), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
seed_list=$(echo $seeds | tr ' ' ',')
worker_list=$(echo $workers | tr ' ' ',')

# The curves sleep through their steps and take little CPU: they run beside the digits runs.
case " $tasks " in *" curves "*)
  rm -f "$out/curves.csv"
  "$build/bench/early_stopping_curves" --methods "$curve_methods" --configs "$curve_configs" \
    --max-resource "$curve_steps" --min-resource "$min_resource" --eta "$eta" --seed-list "$seed_list" --workers "$worker_list" \
    --out "$out/curves.csv" 2> "$out/curves.log" &
  curves_pid=$!
esac

# The digits study of one method and seed: digits_asha.toml with its budget, rungs and log.
digits_study() {  # method seed
  sed -e "s/^name = .*/name = \"digits-$1\"/" -e "s/^seed = .*/seed = $2/" -e "s/^max_trials = .*/max_trials = $configs/" \
      -e "s/^log = .*/log = \"$1.h5\"/" -e "s/\"--epochs\", \"27\"/\"--epochs\", \"$epochs\"/" \
      -e "s/^max_resource = .*/max_resource = $epochs/" -e "s/^min_resource = .*/min_resource = $min_resource/" -e "s/^reduction_factor = .*/reduction_factor = $eta/" \
      -e "s/^kind = \"asha\"/kind = \"${1%-shared}\"/" "$here/../examples/digits/digits_asha.toml" |
    case "$1" in
      random) sed -e '/^\[stopping\]/,/^reduction_factor/d' ;;
      *-shared) sed -e '/^reduction_factor = /a shared_rungs = true' ;;
      *-promote) promoting_study "$1" ;;
      *) cat ;;
    esac
}

# The successive_halving strategy instead of a stopping rule: each trial trains one rung's
# steps from its parent's checkpoint (H5TUNE_BUDGET epochs), CONFIGS configurations.
promoting_study() {  # method
  case "$1" in asha-promote) brackets=1 ;; *) brackets=0 ;; esac
  sed -e '/^kind = "random"/d' -e '/^\[stopping\]/d' -e 's/^kind = ".*"/kind = "successive_halving"/' \
      -e "s/^max_trials = .*/max_trials = $((configs * 10))/" -e 's/"--epochs", "[0-9]*"\]/]/' \
      -e "/^reduction_factor = /a brackets = $brackets\nconfigs = $configs"
}

# One CSV row from a digits log: compute from the reports, the best complete trial's value.
digits_row() {  # method workers seed wall log
  PYTHONPATH="$here/../python" "$python" - "$@" "$epochs" <<'PY'
import sys
import h5tune_log
method, workers, seed, wall, log, epochs = sys.argv[1:]
trials = h5tune_log.trials(log).set_index("id", drop=False)
curves = h5tune_log.reports(log)
reached = curves[curves["metric"] == "val_loss"].groupby("trial")["step"].max()
trials["reached"] = trials["id"].map(reached).fillna(0)
# A trial that resumed its parent's checkpoint (successive_halving) starts at the epoch
# the parent reached.
start = trials["parent"].map(lambda p: trials["reached"].get(p, 0) if p >= 0 else 0)
steps = int((trials["reached"] - start).clip(lower=0).sum())
complete = trials[(trials["state"] == "complete") & (trials["reached"] >= int(epochs))]
best = complete["value"].min() if len(complete) else float("nan")
configs = int((trials["parent"] < 0).sum())
print(f"digits,{method},{workers},{seed},{configs},{steps},{best:.10g},,{len(complete)},"
      f"{int((trials['state'] == 'pruned').sum())},{float(wall):.4g}")
PY
}

case " $tasks " in *" digits "*)
  echo "task,method,workers,seed,configs,steps,best_final,best_of_sampled,complete,pruned,wall_seconds" > "$out/digits.csv"
  for seed in $seeds; do
    for w in $workers; do
      for method in $methods; do
        if [ "$method" = random ]; then
          case " $random_workers " in *" $w "*) ;; *) continue ;; esac
        fi
        dir="$work/$method-$w-$seed"
        mkdir -p "$dir"
        digits_study "$method" "$seed" > "$dir/study.toml"
        start=$(date +%s.%N)
        if [ "$w" = 1 ]; then
          "$h5tune" run --quiet "$dir/study.toml" > "$dir/run.out" 2>&1
        else
          mpiexec -n $((w + 1)) --oversubscribe "$h5tune" run --quiet "$dir/study.toml" > "$dir/run.out" 2>&1
        fi
        wall=$(echo "$(date +%s.%N) - $start" | bc)
        digits_row "$method" "$w" "$seed" "$wall" "$dir/$method.h5" | tee -a "$out/digits.csv"
        rm -rf "$dir"
      done
    done
  done
esac

[ -z "$curves_pid" ] || { wait "$curves_pid"; curves_pid=; }
"$python" "$here/early_stopping_summary.py" "$out"/*.csv | tee "$out/summary.md"
