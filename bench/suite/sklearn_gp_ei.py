"""A plain GP-EI loop with scikit-learn: the textbook Bayesian optimization baseline of the
sample-efficiency suite (docs/benchmarks.md, "Sample efficiency").

Per suggestion: fit GaussianProcessRegressor (ConstantKernel * Matern(nu=2.5) with one length
scale per input (ARD), normalize_y=True, alpha=1e-6, the marginal likelihood maximized by
L-BFGS-B from the last kernel plus `--restarts` random starts) on every observation, then
suggest the best of 2,000 uniformly random points by expected improvement. The first 5 points
are uniformly random. Inputs are the unit-cube encoding of docs/strategies.md (log parameters
in log space, integers at the centre of their slice) with a categorical as one-hot inputs.
Writes the CSV rows of sample_efficiency (source "sklearn", strategy "gp-ei"); time per
suggestion is the fit plus the acquisition.

Usage: /usr/bin/python3 sklearn_gp_ei.py [--functions a,b] [--seeds 20] [--budget 200]
           [--checkpoints 50,100,200] [--restarts 2] [--out file.csv]
"""
import argparse
import math
import os
import sys
import time
import warnings

import numpy as np
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from functions import CSV_HEADER, FUNCTIONS, select  # noqa: E402

N_INITIAL = 5
N_CANDIDATES = 2000


def decode(space, u):
    """Parameter values of unit-cube points u (n x d), as Space::from_unit."""
    x = np.empty_like(u)
    for j, (_, kind, low, high, log, choices) in enumerate(space):
        if kind == "float":
            x[:, j] = np.exp(np.log(low) + u[:, j] * (np.log(high) - np.log(low))) if log else low + u[:, j] * (high - low)
        elif kind == "int":
            lo, hi = low - 0.5, high + 0.5
            v = np.exp(np.log(lo) + u[:, j] * (np.log(hi) - np.log(lo))) if log else lo + u[:, j] * (hi - lo)
            x[:, j] = np.clip(np.round(v), low, high)
        else:
            x[:, j] = np.minimum(np.floor(u[:, j] * len(choices)), len(choices) - 1)
    return x


def features(space, x):
    """GP inputs of parameter values x (n x d): unit coordinates, one-hot categoricals."""
    columns = []
    for j, (_, kind, low, high, log, choices) in enumerate(space):
        if kind == "choice":
            columns.extend((x[:, j] == k).astype(float) for k in range(len(choices)))
            continue
        lo, hi = (low - 0.5, high + 0.5) if kind == "int" else (low, high)
        columns.append((np.log(x[:, j]) - np.log(lo)) / (np.log(hi) - np.log(lo)) if log else (x[:, j] - lo) / (hi - lo))
    return np.column_stack(columns)


def expected_improvement(mu, sigma, best):
    sigma = np.maximum(sigma, 1e-12)
    z = (best - mu) / sigma
    return (best - mu) * norm.cdf(z) + sigma * norm.pdf(z)


def run(space, f, seed, budget, restarts):
    rng = np.random.default_rng(seed)
    d = len(space)
    xs = list(decode(space, rng.random((N_INITIAL, d))))
    ys = [f(list(x)) for x in xs]
    width = features(space, np.array(xs)).shape[1]
    kernel = ConstantKernel(1.0, (1e-3, 1e3)) * Matern(length_scale=np.ones(width), length_scale_bounds=(1e-2, 1e2), nu=2.5)
    suggest_seconds = 0.0
    while len(ys) < budget:
        start = time.perf_counter()
        gp = GaussianProcessRegressor(kernel=kernel, alpha=1e-6, normalize_y=True, n_restarts_optimizer=restarts,
                                      random_state=int(rng.integers(2**31)))
        gp.fit(features(space, np.array(xs)), np.array(ys))
        kernel = gp.kernel_  # warm start of the next fit
        candidates = decode(space, rng.random((N_CANDIDATES, d)))
        mu, sigma = gp.predict(features(space, candidates), return_std=True)
        # normalize_y: mu and sigma are in the units of y, as is the incumbent.
        x = candidates[int(np.argmax(expected_improvement(mu, sigma, min(ys))))]
        suggest_seconds += time.perf_counter() - start
        xs.append(x)
        ys.append(f(list(x)))
    return ys, suggest_seconds / max(1, budget - N_INITIAL)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--functions", default="")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--budget", type=int, default=200)
    parser.add_argument("--checkpoints", default="50,100,200")
    parser.add_argument("--restarts", type=int, default=2)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    checkpoints = [b for b in map(int, args.checkpoints.split(",")) if b <= args.budget] or [args.budget]
    new_file = not args.out or not os.path.exists(args.out) or os.path.getsize(args.out) == 0
    out = open(args.out, "a") if args.out else sys.stdout
    if new_file:
        print(CSV_HEADER, file=out)
    for name in select(args.functions):
        space, f, f_star, _ = FUNCTIONS[name]
        for seed in range(args.seeds):
            start = time.perf_counter()
            values, per_suggestion = run(space, f, seed, args.budget, args.restarts)
            wall = time.perf_counter() - start
            for b in checkpoints:
                best = min(values[:b])
                print(f"sklearn,{name},gp-ei,1,{seed},{b},{best:.10g},{best - f_star:.10g},{per_suggestion:.6g},{wall:.4g}",
                      file=out)
            out.flush()
            print(f"{name:12s} sklearn-gp-ei seed={seed:2d} regret@{checkpoints[-1]}={min(values) - f_star:<10.4g} "
                  f"{1e3 * per_suggestion:.1f} ms/suggestion {wall:.1f} s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
