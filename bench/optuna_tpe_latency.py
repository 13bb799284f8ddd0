"""Latency of one Optuna TPESampler ask + tell with n random observations of a 10-d
function already in the study: the reference for bench/tpe_latency_bench.cpp.

Run with the interpreter that has optuna (Debian: /usr/bin/python3):
    python3 bench/optuna_tpe_latency.py [n ...]        # default n = 1000
"""
import statistics
import sys
import time
import warnings

import numpy as np
import optuna

DIMS = 10
REPEATS = 10


def sphere(x):
    return float(sum((x[i] - 0.1 * i) ** 2 for i in range(DIMS)))


def study_with(n, multivariate):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    sampler = optuna.samplers.TPESampler(seed=1, multivariate=multivariate)
    study = optuna.create_study(sampler=sampler)
    dists = {f"x{i}": optuna.distributions.FloatDistribution(-5.0, 5.0) for i in range(DIMS)}
    rng = np.random.default_rng(7)
    trials = []
    for _ in range(n):
        x = rng.uniform(-5.0, 5.0, DIMS)
        trials.append(optuna.trial.create_trial(
            params={f"x{i}": float(x[i]) for i in range(DIMS)}, distributions=dists, value=sphere(x)))
    study.add_trials(trials)
    return study, dists


def one_ask_tell(study, dists):
    start = time.perf_counter()
    trial = study.ask(dists)
    study.tell(trial, sphere([trial.params[f"x{i}"] for i in range(DIMS)]))
    return time.perf_counter() - start


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1000]
    print(f"optuna {optuna.__version__}, {DIMS} float parameters, median of {REPEATS} ask+tell")
    for multivariate in (False, True):
        for n in sizes:
            study, dists = study_with(n, multivariate)
            times = [one_ask_tell(study, dists) for _ in range(REPEATS)]
            print(f"multivariate={multivariate!s:5} n={n:5d}: {1e3 * statistics.median(times):8.1f} ms "
                  f"(min {1e3 * min(times):.1f})")


if __name__ == "__main__":
    main()
