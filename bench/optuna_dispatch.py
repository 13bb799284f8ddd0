#!/usr/bin/python3
"""Optuna's no-op trial rate, the peer figure for bench/dispatch_bench.cpp.

The same workload as the dispatch bench: random search over a 5-parameter space
(float, log float, int, categorical, float) with an objective that returns 0.0 at once,
in one process, with Optuna's in-memory, journal-file and SQLite storages. Prints
`key=value` lines that bench/dispatch.sh puts next to h5tune's figures.

Run with /usr/bin/python3 (Debian's python3-optuna); see docs/benchmarks.md.
"""
import argparse
import os
import tempfile
import time

import optuna


def objective(trial):
    trial.suggest_float("x", -5.0, 5.0)
    trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    trial.suggest_int("layers", 1, 8)
    trial.suggest_categorical("act", ["relu", "tanh", "gelu"])
    trial.suggest_float("dropout", 0.0, 0.5)
    return 0.0


def trials_per_second(storage, trials):
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=7))
    start = time.perf_counter()
    study.optimize(objective, n_trials=trials)
    return trials / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--memory-trials", type=int, default=20000)
    parser.add_argument("--journal-trials", type=int, default=2000)
    parser.add_argument("--sqlite-trials", type=int, default=200)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    print(f"optuna_version={optuna.__version__}", flush=True)
    print(f"optuna_memory_trials_per_s={trials_per_second(None, args.memory_trials):.0f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="h5tune-optuna-bench-") as tmp:
        journal = optuna.storages.JournalStorage(
            optuna.storages.JournalFileStorage(os.path.join(tmp, "journal.log")))
        print(f"optuna_journal_trials_per_s={trials_per_second(journal, args.journal_trials):.0f}", flush=True)
        sqlite = f"sqlite:///{os.path.join(tmp, 'study.db')}"
        print(f"optuna_sqlite_trials_per_s={trials_per_second(sqlite, args.sqlite_trials):.0f}", flush=True)


if __name__ == "__main__":
    main()
