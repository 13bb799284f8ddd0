"""Optuna 3.1 baselines of the sample-efficiency suite (docs/benchmarks.md, "Sample efficiency").

The functions of bench/suite/functions.py (equal to the C++ ones) with TPESampler(seed=s),
CmaEsSampler(seed=s) and RandomSampler(seed=s), default options (and "tpe-normalized": TPESampler with the
normalization fix of Optuna issue #5109 patched in, never mixed with the others in one process), sequential ask/tell on an
in-memory study. Writes the CSV rows of sample_efficiency (source "optuna"); time per
suggestion is the time of study.ask() plus the suggest_* calls, where the sampler works.

Usage: /usr/bin/python3 optuna_suite.py [--functions a,b] [--samplers tpe,cmaes,random]
           [--seeds 20] [--budget 200] [--checkpoints 50,100,200] [--out file.csv]
"""
import argparse
import math
import os
import sys
import time
import warnings

import numpy as np
import optuna

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from functions import CSV_HEADER, FUNCTIONS, select  # noqa: E402



def normalized_tpe(seed):
    """TPESampler with Optuna's later fix of issue #5109 patched in: the truncated-normal
    kernels become normalized densities (3.1 leaves out -log(scale)), as h5tune's tpe has
    them. For telling that difference apart from the rest (docs/benchmarks.md)."""
    from optuna.samplers._tpe import _truncnorm

    if not getattr(_truncnorm, "h5tune_normalized", False):
        original = _truncnorm.logpdf

        def logpdf(x, a, b, loc=0, scale=1):
            return original(x, a, b, loc, scale) - np.log(scale)

        _truncnorm.logpdf = logpdf
        _truncnorm.h5tune_normalized = True
    return optuna.samplers.TPESampler(seed=seed)


SAMPLERS = {
    "tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "tpe-normalized": normalized_tpe,
    "cmaes": lambda seed: optuna.samplers.CmaEsSampler(seed=seed),
    "random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
}


def suggest(trial, space):
    x = []
    for name, kind, low, high, log, choices in space:
        if kind == "float":
            x.append(trial.suggest_float(name, low, high, log=log))
        elif kind == "int":
            x.append(float(trial.suggest_int(name, low, high, log=log)))
        else:
            x.append(float(choices.index(trial.suggest_categorical(name, choices))))
    return x


def run(space, f, sampler, budget):
    study = optuna.create_study(sampler=sampler, direction="minimize")
    values, suggest_seconds = [], 0.0
    for _ in range(budget):
        start = time.perf_counter()
        trial = study.ask()
        x = suggest(trial, space)
        suggest_seconds += time.perf_counter() - start
        value = f(x)
        study.tell(trial, value)
        values.append(value)
    return values, suggest_seconds / budget


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--functions", default="")
    parser.add_argument("--samplers", default="tpe,cmaes,random")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--budget", type=int, default=200)
    parser.add_argument("--checkpoints", default="50,100,200")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.filterwarnings("ignore")  # CmaEsSampler's "falls back to random for categoricals", experimental flags
    checkpoints = [b for b in map(int, args.checkpoints.split(",")) if b <= args.budget] or [args.budget]
    new_file = not args.out or not os.path.exists(args.out) or os.path.getsize(args.out) == 0
    out = open(args.out, "a") if args.out else sys.stdout
    if new_file:
        print(CSV_HEADER, file=out)
    for name in select(args.functions):
        space, f, f_star, _ = FUNCTIONS[name]
        for sampler_name in args.samplers.split(","):
            for seed in range(args.seeds):
                start = time.perf_counter()
                values, per_suggestion = run(space, f, SAMPLERS[sampler_name](seed), args.budget)
                wall = time.perf_counter() - start
                for b in checkpoints:
                    best = min(values[:b])
                    print(f"optuna,{name},{sampler_name},1,{seed},{b},{best:.10g},{best - f_star:.10g},"
                          f"{per_suggestion:.6g},{wall:.4g}", file=out)
                out.flush()
                print(f"{name:12s} optuna-{sampler_name:8s} seed={seed:2d} regret@{checkpoints[-1]}="
                      f"{min(values) - f_star:<10.4g} {1e3 * per_suggestion:.2f} ms/suggestion {wall:.1f} s",
                      file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
