"""python/h5tune_log.py against the h5tune binary: the frames it reads from a real log equal
`h5tune export --format csv` cell by cell, and it reads a log while `h5tune run` writes it.

Run by CTest (tests/python/CMakeLists.txt) with H5TUNE_CLI (the h5tune binary) and
H5TUNE_TEST_DATA_DIR (tests/e2e/data) in the environment, and python/ and tests/support/ on
PYTHONPATH.
"""
import csv
import io
import math
import os
import shutil
import subprocess
import tempfile
import time
import unittest

import h5py
import numpy as np
import pandas as pd

import h5tune_log
import strip_report_attempt

CLI = os.environ["H5TUNE_CLI"]
QUADRATIC = os.path.join(os.environ["H5TUNE_TEST_DATA_DIR"], "quadratic.sh")

# Fails every trial with x >= 2 after printing its metrics, with a line on stderr: failed rows
# carry a message, a NaN value, metrics and a stderr tail.
OBJECTIVE = """#!/bin/sh
sh "{quadratic}" "$@"
case "$1" in
  2*|3*|4*) echo "x too large: $1" >&2; exit 3 ;;
esac
exit 0
"""

STUDY = """[study]
name = "python"
direction = "minimize"
metric = "loss"
seed = 5
max_trials = {trials}
log = "run.h5"

[strategy]
kind = "random"

[objective]
command = ["sh", "{objective}", "{{x}}", "{{n}}", "{{act}}", "{pause}"]
timeout = "20s"

[space]
x   = {{ float = [-4.0, 4.0] }}
n   = {{ int = [0, 4] }}
act = {{ choice = ["relu", "tanh"] }}
"""


def run_cli(*args, **kwargs):
    return subprocess.run([CLI, *args], capture_output=True, text=True, **kwargs)


class StudyDir:
    def __init__(self, trials, pause=0):
        self.path = tempfile.mkdtemp(prefix="h5tune-python-")
        objective = os.path.join(self.path, "objective.sh")
        with open(objective, "w") as f:
            f.write(OBJECTIVE.format(quadratic=QUADRATIC))
        self.study = os.path.join(self.path, "study.toml")
        with open(self.study, "w") as f:
            f.write(STUDY.format(trials=trials, objective=objective, pause=pause))
        self.log = os.path.join(self.path, "run.h5")

    def remove(self):
        if not os.environ.get("H5TUNE_KEEP_TEST_DIRS"):
            shutil.rmtree(self.path, ignore_errors=True)


def is_missing(value):
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


class ColumnNamesStayUnique(unittest.TestCase):
    """Parameters `loss` and `metric.loss` beside the metric `loss`: the metric's column would
    be `metric.loss` twice over, so it gets the prefix again; no value is lost anywhere."""

    def test_clashing_names_get_the_prefix_until_unique(self):
        path = tempfile.mkdtemp(prefix="h5tune-python-")
        try:
            study = os.path.join(path, "study.toml")
            with open(study, "w") as f:
                f.write('[study]\ndirection = "minimize"\nmetric = "loss"\nmax_trials = 3\nlog = "run.h5"\n'
                        '[space]\nloss = { float = [10, 20] }\n"metric.loss" = { float = [30, 40] }\n'
                        '[objective]\ncommand = ["sh", "-c", "echo h5tune: loss=7", "{loss}", "{metric.loss}"]\n')
            run = run_cli("run", study, "--quiet")
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
            log = os.path.join(path, "run.h5")
            export = run_cli("export", log, "--format", "csv")
            self.assertEqual(export.returncode, 0, export.stderr)
            header = next(csv.reader(io.StringIO(export.stdout)))
            self.assertEqual(header[-3:], ["loss", "metric.loss", "metric.metric.loss"])
            df = h5tune_log.trials(log)
            self.assertEqual(list(df.columns), header)
            self.assertTrue(df["loss"].between(10, 20).all())
            self.assertTrue(df["metric.loss"].between(30, 40).all())
            self.assertTrue((df["metric.metric.loss"] == 7).all())
            as_json = run_cli("export", log, "--format", "json")
            self.assertEqual(as_json.returncode, 0, as_json.stderr)
            self.assertIn('"metric.metric.loss"', as_json.stdout)
        finally:
            shutil.rmtree(path, ignore_errors=True)


class FrameMatchesExport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = StudyDir(trials=24)
        run = run_cli("run", cls.dir.study, "--quiet")
        assert run.returncode == 0, run.stdout + run.stderr
        export = run_cli("export", cls.dir.log, "--format", "csv")
        assert export.returncode == 0, export.stderr
        cls.csv = list(csv.reader(io.StringIO(export.stdout)))

    @classmethod
    def tearDownClass(cls):
        cls.dir.remove()

    def test_same_columns_and_rows(self):
        df = h5tune_log.trials(self.dir.log)
        self.assertEqual(list(df.columns), self.csv[0])
        self.assertEqual(len(df), len(self.csv) - 1)
        self.assertEqual(list(df["id"]), list(range(24)))

    def test_every_cell_has_the_exported_value(self):
        df = h5tune_log.trials(self.dir.log)
        for line in self.csv[1:]:
            row = df.iloc[int(line[0])]
            for column, cell in zip(self.csv[0], line):
                value = row[column]
                where = f"trial {line[0]}, column {column}: csv {cell!r}, frame {value!r}"
                if is_missing(value) or (isinstance(value, str) and value == ""):
                    self.assertEqual(cell, "", where)
                elif isinstance(value, str):
                    self.assertEqual(cell, value, where)
                elif column == "seed":
                    self.assertEqual(int(cell), int(value), where)  # all 64 bits
                else:
                    self.assertEqual(float(cell), float(value), where)  # exact: export prints round-trip digits

    def test_types_suit_analysis(self):
        df = h5tune_log.trials(self.dir.log)
        self.assertEqual(str(df["n"].dtype), "Int64")
        self.assertEqual(str(df["seed"].dtype), "uint64")
        self.assertTrue(set(df["act"]) <= {"relu", "tanh"})
        self.assertTrue(set(df["state"]) <= {"complete", "failed"})

    def test_failed_trials_carry_message_metrics_and_stderr(self):
        df = h5tune_log.trials(self.dir.log)
        failed = df[df["x"] >= 2]
        self.assertGreater(len(failed), 0, "seed 5 should draw some x >= 2")
        self.assertTrue((failed["state"] == "failed").all())
        self.assertTrue(failed["value"].isna().all())
        self.assertTrue((failed["message"] != "").all())
        tails = h5tune_log.stderr_tails(self.dir.log)
        for trial in failed["id"]:
            self.assertIn("x too large", tails[int(trial)])
        complete = df[df["state"] == "complete"]
        self.assertTrue((complete["value"] == complete["loss"]).all())

    def test_reports_are_the_learning_curves(self):
        curves = h5tune_log.reports(self.dir.log)
        self.assertEqual(list(curves.columns), ["trial", "step", "time", "metric", "value", "attempt"])
        self.assertEqual(len(curves), 24 * 3)  # three steps of one metric per trial
        self.assertTrue((curves["attempt"] == 0).all())  # nothing ran twice
        self.assertEqual(set(curves["metric"]), {"loss"})
        df = h5tune_log.trials(self.dir.log).set_index("id")
        last = curves[curves["step"] == 3].set_index("trial")["value"]
        for trial, value in last.items():
            self.assertAlmostEqual(value, df.loc[trial, "loss"] + 1 / 3, places=6)

    def test_events_and_header(self):
        journal = h5tune_log.events(self.dir.log)
        self.assertEqual(journal["kind"].iloc[0], "run_start")
        self.assertEqual(journal["kind"].iloc[-1], "run_stop")
        for kind in ("ask", "start", "tell"):
            self.assertEqual((journal["kind"] == kind).sum(), 24, kind)
        info = h5tune_log.header(self.dir.log)
        self.assertEqual(info["study_name"], "python")
        self.assertEqual(info["strategy"], "random")
        self.assertEqual(info["seed"], 5)
        self.assertEqual(info["metric"], "loss")
        self.assertEqual(info["enqueued"], 0)
        with open(self.dir.study) as f:
            self.assertEqual(info["study_text"], f.read())
        self.assertEqual([p["name"] for p in info["space"]], ["x", "n", "act"])
        self.assertEqual(info["space"][2]["choices"], ["relu", "tanh"])

    def test_refuses_a_file_that_is_no_log(self):
        path = os.path.join(self.dir.path, "study.toml")
        with self.assertRaises((OSError, ValueError)):
            h5tune_log.trials(path)

    def test_refuses_an_open_hdf5_file_that_is_no_log(self):
        path = os.path.join(self.dir.path, "other.h5")
        with h5py.File(path, "w") as f:
            f["x"] = [1, 2, 3]
        with h5py.File(path, "r") as f:
            for read in (h5tune_log.trials, h5tune_log.reports, h5tune_log.events, h5tune_log.stderr_tails):
                with self.assertRaises(ValueError, msg=read.__name__):
                    read(f)

    def test_a_log_without_trials_gives_empty_frames_of_the_same_types(self):
        # A run killed before its first flush of a trial: every growing table empty.
        path = os.path.join(self.dir.path, "empty.h5")
        shutil.copy(self.dir.log, path)
        with h5py.File(path, "a") as f:
            for name in ("trials/table", "trials/params", "trials/metrics", "trials/stderr", "reports", "events"):
                f[name].resize((0,))
        df = h5tune_log.trials(path)
        full = h5tune_log.trials(self.dir.log)
        self.assertEqual(len(df), 0)
        self.assertEqual(list(df.columns), ["id", "state", "value", "seed", "rank", "host", "t_created", "t_started",
                                            "t_finished", "duration", "attempt", "parent", "generation", "budget",
                                            "message", "x", "n", "act", "loss", "metric.id"])
        for column in df.columns:
            self.assertEqual(df[column].dtype, full[column].dtype, column)
        self.assertEqual(len(df[df.state.str.startswith("c")]), 0)  # text columns stay text
        journal = h5tune_log.events(path)
        self.assertEqual(len(journal), 0)
        self.assertEqual(journal["kind"].dtype, h5tune_log.events(self.dir.log)["kind"].dtype)
        curves = h5tune_log.reports(path)
        self.assertEqual(list(curves.columns), ["trial", "step", "time", "metric", "value", "attempt"])
        self.assertEqual(h5tune_log.stderr_tails(path), {})


# Population based training on the quadratic (which ignores checkpoints): segments with parents.
PBT_STUDY = """[study]
name = "python-pbt"
direction = "minimize"
metric = "loss"
seed = 2
max_trials = 16
log = "run.h5"

[strategy]
kind = "pbt"
population = 4
interval = 3
generations = 4

[objective]
command = ["sh", "{quadratic}", "{{x}}", "{{n}}", "relu"]
timeout = "20s"

[space]
x = {{ float = [-4.0, 4.0] }}
n = {{ int = [0, 4] }}
"""


class Generations(unittest.TestCase):
    def test_generation_follows_the_parent_chain_in_export_and_frame(self):
        path = tempfile.mkdtemp(prefix="h5tune-python-pbt-")
        try:
            study = os.path.join(path, "study.toml")
            with open(study, "w") as f:
                f.write(PBT_STUDY.format(quadratic=QUADRATIC))
            run = run_cli("run", study, "--quiet")
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
            log = os.path.join(path, "run.h5")
            for fmt in ("csv", "json"):
                export = run_cli("export", log, "--format", fmt)
                self.assertEqual(export.returncode, 0, export.stderr)
                rows = (list(csv.DictReader(io.StringIO(export.stdout))) if fmt == "csv"
                        else pd.read_json(io.StringIO(export.stdout), orient="records").to_dict("records"))
                generation = {}
                for row in rows:  # in id order: a parent has a smaller id
                    parent = int(row["parent"])
                    generation[int(row["id"])] = 0 if parent < 0 else generation[parent] + 1
                    self.assertEqual(int(row["generation"]), generation[int(row["id"])], f"{fmt} trial {row['id']}")
                self.assertGreater(max(generation.values()), 0, "some segment continued a parent")
            df = h5tune_log.trials(log)
            self.assertEqual(list(df["generation"]), [generation[i] for i in df["id"]])
            self.assertEqual(str(df["generation"].dtype), "int64")
        finally:
            if not os.environ.get("H5TUNE_KEEP_TEST_DIRS"):
                shutil.rmtree(path, ignore_errors=True)

    def test_a_parent_that_is_not_an_earlier_trial_gives_generation_minus_one(self):
        parent = pd.Series([-1, 0, 1, 5, 3, -1, 5]).to_numpy()
        self.assertEqual(list(h5tune_log._generations(parent)), [0, 1, 2, -1, -1, 0, 1])


# Every trial's first attempt reports its three steps, writes to stderr and fails; max_retries
# runs it again (attempt 1), which reports the same steps again and completes with an empty
# stderr.
RETRY_OBJECTIVE = """#!/bin/sh
sh "{quadratic}" "$@" | sed "s/^h5tune: loss=/h5tune: loss_out=/"
if [ ! -e "$H5TUNE_TRIAL_DIR/tried" ]; then
  touch "$H5TUNE_TRIAL_DIR/tried"; echo "first attempt fails" >&2; exit 1
fi
sh "{quadratic}" "$@" | grep -v "step="
"""

RETRY_STUDY = """[study]
name = "python-retry"
direction = "minimize"
metric = "loss"
seed = 9
max_trials = 6
max_retries = 1
log = "run.h5"

[strategy]
kind = "random"

[objective]
command = ["sh", "{objective}", "{{x}}", "{{n}}", "{{act}}"]
timeout = "20s"

[space]
x   = {{ float = [-4.0, 4.0] }}
n   = {{ int = [0, 4] }}
act = {{ choice = ["relu", "tanh"] }}
"""


class ReRunAttempts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.path = tempfile.mkdtemp(prefix="h5tune-python-retry-")
        objective = os.path.join(cls.path, "objective.sh")
        with open(objective, "w") as f:
            f.write(RETRY_OBJECTIVE.format(quadratic=QUADRATIC))
        cls.study = os.path.join(cls.path, "study.toml")
        with open(cls.study, "w") as f:
            f.write(RETRY_STUDY.format(objective=objective))
        run = run_cli("run", cls.study, "--quiet")
        assert run.returncode == 0, run.stdout + run.stderr
        cls.log = os.path.join(cls.path, "run.h5")

    @classmethod
    def tearDownClass(cls):
        if not os.environ.get("H5TUNE_KEEP_TEST_DIRS"):
            shutil.rmtree(cls.path, ignore_errors=True)

    def test_reports_of_each_attempt_are_told_apart(self):
        df = h5tune_log.trials(self.log)
        self.assertEqual(list(df["attempt"]), [1] * 6)
        self.assertTrue((df["state"] == "complete").all())
        curves = h5tune_log.reports(self.log)
        self.assertEqual(len(curves), 6 * 2 * 3)  # both attempts' three steps stay in the log
        for (trial, attempt), group in curves.groupby(["trial", "attempt"]):
            self.assertIn(attempt, (0, 1))
            self.assertEqual(list(group["step"]), [1, 2, 3], f"trial {trial} attempt {attempt}")
        # The documented filter keeps one curve per trial, the latest attempt's.
        last = curves[curves.attempt == curves.groupby("trial").attempt.transform("max")]
        self.assertTrue((last["attempt"] == 1).all())
        self.assertEqual(len(last), 6 * 3)
        self.assertEqual(len(last.pivot_table(index="step", columns="trial", values="value")), 3)

    def test_a_log_whose_reports_have_no_attempt_field_derives_it_from_the_journal(self):
        legacy = os.path.join(self.path, "legacy.h5")
        shutil.copyfile(self.log, legacy)
        strip_report_attempt.strip(legacy)
        stored = h5tune_log.reports(self.log)
        derived = h5tune_log.reports(legacy)
        self.assertEqual(list(derived["attempt"]), list(stored["attempt"]))

    def test_stderr_tail_of_a_silent_re_run_is_left_out(self):
        self.assertEqual(h5tune_log.stderr_tails(self.log), {})

    def test_metrics_of_a_later_attempt_replace_earlier_ones(self):
        # The failed first attempt logged no metrics; give trial 2 attempt-0 rows after the
        # attempt-1 rows (a resumed log appends in any order), and a second attempt-1 row.
        path = os.path.join(self.path, "edited.h5")
        shutil.copy(self.log, path)
        before = h5tune_log.trials(self.log)
        with h5py.File(path, "a") as f:
            names = [n.decode() for n in f["metric_names"][:]]
            rows = f["trials/metrics"]
            n = len(rows)
            extra = np.zeros(2, dtype=rows.dtype)
            extra["trial"], extra["metric"], extra["value"], extra["attempt"] = 2, names.index("loss"), -5.0, 0
            extra[1]["attempt"], extra[1]["value"] = 1, 42.0
            rows.resize((n + 2,))
            rows[n:] = extra
        after = h5tune_log.trials(path)
        self.assertEqual(after.loc[2, "loss"], 42.0)  # attempt 1, the later row
        self.assertEqual(after.loc[3, "loss"], before.loc[3, "loss"])
        self.assertEqual(after.loc[2, "metric.id"], before.loc[2, "metric.id"])


class LiveLog(unittest.TestCase):
    def test_reads_a_log_while_it_is_written(self):
        study = StudyDir(trials=40, pause=0.05)
        try:
            run = subprocess.Popen([CLI, "run", study.study, "--quiet"], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
            seen_live = None
            deadline = time.monotonic() + 60
            # Poll until the writer has flushed a few finished trials while still running.
            while run.poll() is None and time.monotonic() < deadline:
                if os.path.exists(study.log):
                    try:
                        df = h5tune_log.trials(study.log)
                    except OSError:
                        df = None  # the writer has not switched the file to SWMR yet
                    if df is not None and (df["state"] == "complete").sum() >= 3:
                        seen_live = df
                        break
                time.sleep(0.02)
            output, _ = run.communicate(timeout=120)
            self.assertEqual(run.returncode, 0, output)
            self.assertIsNotNone(seen_live, "the log was never readable with finished trials during the run")
            final = h5tune_log.trials(study.log)
            self.assertEqual(len(final), 40)
            done = seen_live[seen_live["state"].isin(["complete", "failed"])]
            for _, row in done.iterrows():  # what a live reader saw is what the log keeps
                later = final.iloc[int(row["id"])]
                if not math.isnan(row["value"]):
                    self.assertEqual(row["value"], later["value"])
                self.assertEqual(row["x"], later["x"])
        finally:
            study.remove()


if __name__ == "__main__":
    unittest.main(verbosity=2)
