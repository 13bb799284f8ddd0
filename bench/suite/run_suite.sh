#!/usr/bin/env bash
# The sample-efficiency suite (docs/benchmarks.md, "Sample efficiency"): h5tune's strategies
# through the runtime, Optuna 3.1's samplers and a scikit-learn GP-EI loop on the same
# functions and seeds, then one side-by-side table per function and the issue's targets.
#
# Usage: bench/suite/run_suite.sh <build dir> [out dir]
#   The build dir must hold bench/sample_efficiency
#   (cmake --build <build dir> --target sample_efficiency). Out dir default: suite-results.
# Environment (defaults give the documented run):
#   SEEDS=20          seeds of h5tune's random, sobol, tpe, evolution, cmaes
#   GP_SEEDS=20       seeds of h5tune gp (about 1-3 s per 200-trial run on an idle machine)
#   OPTUNA_SEEDS=20   seeds of every Optuna sampler (TPESampler: 15-30 s per 200-trial run)
#   SKLEARN_SEEDS=20  seeds of the scikit-learn loop (20-30 ms per suggestion when idle)
#   SKLEARN_BUDGET=100  SKLEARN_RESTARTS=0 (marginal-likelihood restarts per fit)
#   FUNCTIONS=        comma-separated subset (default: all)
#   REPRODUCIBLE=1    run h5tune's studies in reproducible mode (sample_efficiency
#                     --reproducible: the 4-worker rows become the same on every run)
#   PYTHON=/usr/bin/python3 (needs optuna 3.1, numpy, scipy, pandas, scikit-learn; with the
#                     default, scripts/install-deps.sh bench installs Debian's packages of them)
# The five groups (h5tune gp, h5tune others, Optuna TPE, other Optuna, scikit-learn) run concurrently; each
# logs its progress to <out dir>/<group>.log.
set -euo pipefail

build=${1:?usage: run_suite.sh <build dir> [out dir]}
out=${2:-suite-results}
here=$(cd "$(dirname "$0")" && pwd)
exe=$build/bench/sample_efficiency
python=${PYTHON:-/usr/bin/python3}
[[ -z ${PYTHON:-} ]] && "$here/../../scripts/install-deps.sh" bench
seeds=${SEEDS:-20}
gp_seeds=${GP_SEEDS:-20}
optuna_seeds=${OPTUNA_SEEDS:-20}
sk_seeds=${SKLEARN_SEEDS:-20}
sk_budget=${SKLEARN_BUDGET:-100}
sk_restarts=${SKLEARN_RESTARTS:-0}
functions=${FUNCTIONS:-}
fn_arg=()
[[ -n $functions ]] && fn_arg=(--functions "$functions")
ours_arg=("${fn_arg[@]}")
[[ -n ${REPRODUCIBLE:-} ]] && ours_arg+=(--reproducible)

mkdir -p "$out"
rm -f "$out"/*.csv

"$exe" --self-test 100000
"$python" "$here/functions.py" --check "$exe"

start=$(date +%s)
# gp with its defaults, and each of its two profiles (docs/strategies.md, "gp"; the default
# is one of them, global below 10 float/int parameters and local from 10 on).
"$exe" "${ours_arg[@]}" --strategies gp,gp+profile=local,gp+profile=global \
  --seeds "$gp_seeds" --workers 1,4 --out "$out/h5tune_gp.csv" \
  2> "$out/h5tune_gp.log" &
pids=($!)
"$exe" "${ours_arg[@]}" --strategies random,sobol,tpe,tpe+joint_every=0,evolution,cmaes --seeds "$seeds" --workers 1,4 \
  --out "$out/h5tune_other.csv" 2> "$out/h5tune_other.log" &
pids+=($!)
"$python" "$here/optuna_suite.py" "${fn_arg[@]}" --samplers tpe --seeds "$optuna_seeds" --out "$out/optuna_tpe.csv" \
  2> "$out/optuna_tpe.log" &
pids+=($!)
"$python" "$here/optuna_suite.py" "${fn_arg[@]}" --samplers cmaes,random --seeds "$optuna_seeds" \
  --out "$out/optuna_other.csv" 2> "$out/optuna_other.log" &
pids+=($!)
"$python" "$here/sklearn_gp_ei.py" "${fn_arg[@]}" --seeds "$sk_seeds" --budget "$sk_budget" \
  --checkpoints 50,100,200 --restarts "$sk_restarts" --out "$out/sklearn.csv" 2> "$out/sklearn.log" &
pids+=($!)

status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
echo "suite finished in $(( $(date +%s) - start )) s (exit status of the groups: $status)"
"$python" "$here/summarize.py" "$out" "$out"/*.csv
exit $status
