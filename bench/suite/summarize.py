"""Tables of the sample-efficiency suite from the raw CSV rows of sample_efficiency,
optuna_suite.py and sklearn_gp_ei.py (docs/benchmarks.md, "Sample efficiency").

Writes summary.csv (median and quartiles of the simple regret per source, function,
strategy, workers and budget, mean seconds per suggestion) and summary.md (one side-by-side
table per function, then the issue's targets evaluated at budget 100, met or not, with the
numbers), and prints summary.md.

Usage: /usr/bin/python3 summarize.py <out dir> raw1.csv [raw2.csv ...]
"""
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from functions import FUNCTIONS  # noqa: E402

TARGET_BUDGET = 100


def summarize(raw):
    grouped = raw.groupby(["source", "function", "strategy", "workers", "budget"])
    summary = grouped["regret"].quantile([0.25, 0.5, 0.75]).unstack()
    summary.columns = ["q25", "median", "q75"]
    summary["sec_per_suggestion"] = grouped["sec_per_suggestion"].mean()
    summary["seeds"] = grouped["seed"].nunique()
    return summary.reset_index()


def label(row):
    workers = f", {row.workers} workers" if row.workers > 1 else ""
    return f"{row.source} {row.strategy}{workers}"


def fmt(x):
    return "n/a" if pd.isna(x) else f"{x:.3g}"


def function_table(summary, name):
    part = summary[summary.function == name]
    budgets = sorted(part.budget.unique())
    lines = [f"#### {name}", "",
             "| strategy | seeds | " + " | ".join(f"regret @{b}: median [q25, q75]" for b in budgets) + " | s / suggestion |",
             "|---|---|" + "---|" * len(budgets) + "---|"]
    keys = part[["source", "strategy", "workers"]].drop_duplicates().sort_values(["source", "strategy", "workers"])
    for key in keys.itertuples(index=False):
        rows = part[(part.source == key.source) & (part.strategy == key.strategy) & (part.workers == key.workers)]
        cells = []
        for b in budgets:
            r = rows[rows.budget == b]
            cells.append("" if r.empty else f"{fmt(r['median'].iloc[0])} [{fmt(r.q25.iloc[0])}, {fmt(r.q75.iloc[0])}]")
        lines.append(f"| {label(key)} | {rows.seeds.max()} | " + " | ".join(cells) +
                     f" | {rows.sec_per_suggestion.mean():.3g} |")
    return "\n".join(lines) + "\n"


def value(summary, source, function, strategy, workers=1, column="median", budget=TARGET_BUDGET):
    r = summary[(summary.source == source) & (summary.function == function) & (summary.strategy == strategy) &
                (summary.workers == workers) & (summary.budget == budget)]
    return None if r.empty else float(r[column].iloc[0])


def verdict(ok):
    return "n/a" if ok is None else ("met" if ok else "NOT met")


def targets(summary):
    lines = [f"#### Targets (median simple regret at budget {TARGET_BUDGET})", "",
             "| function | gp ≤ optuna tpe / 10 | gp ≤ sklearn gp-ei | gp time ≤ sklearn time / 10 | tpe ≤ optuna tpe "
             "| gp 4 workers ≤ 2 × gp 1 worker | cmaes ≤ optuna cmaes |", "|---|---|---|---|---|---|---|"]
    for name in FUNCTIONS:
        if name not in set(summary.function):
            continue
        gp = value(summary, "h5tune", name, "gp")
        gp4 = value(summary, "h5tune", name, "gp", workers=4)
        tpe = value(summary, "h5tune", name, "tpe")
        cma = value(summary, "h5tune", name, "cmaes")
        otpe = value(summary, "optuna", name, "tpe")
        ocma = value(summary, "optuna", name, "cmaes")
        sk = value(summary, "sklearn", name, "gp-ei")
        gp_t = value(summary, "h5tune", name, "gp", column="sec_per_suggestion")
        sk_t = value(summary, "sklearn", name, "gp-ei", column="sec_per_suggestion")

        def cell(a, b, factor, what=fmt):
            if a is None or b is None:
                return "n/a"
            return f"{verdict(a <= factor * b)}: {what(a)} vs {what(b)}"

        continuous = FUNCTIONS[name][3]
        lines.append(f"| {name} | {cell(gp, otpe, 0.1)} | {cell(gp, sk, 1.0)} | "
                     f"{cell(gp_t, sk_t, 0.1, lambda t: f'{t:.3g} s')} | {cell(tpe, otpe, 1.0)} | "
                     f"{cell(gp4, gp, 2.0)} | {cell(cma, ocma, 1.0) if continuous else 'n/a (mixed space)'} |")
    lines.append("")
    lines.append("Each cell: verdict: ours vs reference (medians over seeds; for the time column, mean seconds "
                 "per suggestion). A target with a factor holds when ours ≤ factor × reference.")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    raw = pd.concat([pd.read_csv(p) for p in sys.argv[2:] if os.path.getsize(p) > 0], ignore_index=True)
    summary = summarize(raw)
    summary.to_csv(os.path.join(out_dir, "summary.csv"), index=False)
    order = [n for n in FUNCTIONS if n in set(summary.function)]
    text = "\n".join(function_table(summary, n) for n in order) + "\n" + targets(summary)
    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
