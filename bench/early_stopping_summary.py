#!/usr/bin/env python3
"""Tables of the early-stopping benchmark (bench/early_stopping.sh, docs/benchmarks.md).

Reads CSV rows (task,method,workers,seed,configs,steps,best_final,best_of_sampled,complete,
pruned,wall_seconds) from bench/early_stopping_curves and from the digits runs, and prints
one markdown table per (task, workers): per method the best final metric (median and
quartiles over seeds), the total compute (sum of steps, median), the compute ratio
(random's median over the method's median) and whether the issue's target holds:

  the method's median best final is within --tolerance (relative, default 1 %) of
  full-budget random search's median, and its compute ratio is at least --ratio (3).

It also prints, per method, on how many seeds its best final is as good as random search's
of the same seed (all methods sample the same configurations per seed) and the median over
seeds of its relative excess over random search's best final of the same seed.

Random search with the full budget is the baseline of the same task and worker count; when
there is none (the digits runs skip it under 4 workers, where its trials and results are the
same as with 1), the task's random rows of another worker count stand in, marked "(w=1)".
"""
import argparse
import csv
import math
import statistics
import sys
from collections import defaultdict


def quartiles(values):
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="+")
    parser.add_argument("--tolerance", type=float, default=0.01)
    parser.add_argument("--ratio", type=float, default=3.0)
    args = parser.parse_args()

    runs = defaultdict(dict)  # (task, workers, method) -> {seed: row}
    for path in args.csv:
        with open(path) as f:
            for row in csv.DictReader(f):
                key = (row["task"], int(row["workers"]), row["method"])
                runs[key][int(row["seed"])] = row

    met_all = True
    for task, workers in sorted({(k[0], k[1]) for k in runs}):
        base_key = (task, workers, "random")
        base_note = ""
        if base_key not in runs:
            others = sorted(k for k in runs if k[0] == task and k[2] == "random")
            if not others:
                continue
            base_key, base_note = others[0], f" (w={others[0][1]})"
        base = runs[base_key]
        base_best = statistics.median(float(r["best_final"]) for r in base.values())
        base_steps = statistics.median(int(r["steps"]) for r in base.values())
        print(f"\n### {task}, {workers} worker{'s' if workers > 1 else ''}\n")
        print("| method | configs | seeds | best final: median [Q1, Q3] | total compute (steps): median |"
              " compute ratio | seeds as good as random | paired: median excess over random | target |")
        print("|---|---|---|---|---|---|---|---|---|")
        methods = sorted((k[2] for k in runs if k[0] == task and k[1] == workers), key=lambda m: (m != "random", m))
        if base_note:
            methods.insert(0, None)
        for method in methods:
            rows = base if method is None else runs[(task, workers, method)]
            label = f"random{base_note}" if method is None else method
            best = [float(r["best_final"]) for r in rows.values()]
            steps = [int(r["steps"]) for r in rows.values()]
            q1, q2, q3 = quartiles(sorted(best))
            median_steps = statistics.median(steps)
            ratio = base_steps / median_steps
            excess = statistics.median((float(r["best_final"]) - float(base[s]["best_final"])) / float(base[s]["best_final"])
                                       for s, r in rows.items() if s in base)
            same = sum(1 for s, r in rows.items() if s in base and float(r["best_final"]) <= float(base[s]["best_final"]) * (1 + 1e-12))
            configs = statistics.median(int(r["configs"]) for r in rows.values())
            if method in (None, "random"):
                verdict = "baseline"
            else:
                ok = q2 <= base_best * (1 + args.tolerance) and ratio >= args.ratio
                met_all = met_all and ok
                verdict = "met" if ok else ("missed: best final" if ratio >= args.ratio else "missed: compute")
                if q2 > base_best * (1 + args.tolerance) and ratio < args.ratio:
                    verdict = "missed: both"
            print(f"| {label} | {configs:g} | {len(rows)} | {q2:.4f} [{q1:.4f}, {q3:.4f}] | {median_steps:g} |"
                  f" {ratio:.1f}x | {same}/{len(rows)} | {100 * excess:+.1f} % | {verdict} |")
    print(f"\nTarget (median best final within {100 * args.tolerance:g} % of full-budget random search's,"
          f" compute ratio >= {args.ratio:g}): {'met everywhere' if met_all else 'NOT met everywhere'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
