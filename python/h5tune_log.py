"""Read an h5tune log (HDF5) into pandas DataFrames.

A small, dependency-light companion of the C++ ``h5tune::LogReader``: it needs only h5py
and pandas (and numpy, which both bring). The layout it reads is documented in
docs/log-format.md; docs/analysis.md shows how to use this module.

    import h5tune_log
    df = h5tune_log.trials("run.h5")        # one row per trial, same table as `h5tune export`
    curves = h5tune_log.reports("run.h5")   # learning curves, long form
    journal = h5tune_log.events("run.h5")   # the ask/start/tell journal
    info = h5tune_log.header("run.h5")      # study name, strategy, seed, space, study text ...

Every function accepts a path or an open ``h5py.File``. A path is opened read-only in SWMR
mode, so a log can be read while ``h5tune run`` still writes it; the frame then holds the
rows of the writer's last flush.
"""

import contextlib

import h5py
import numpy as np
import pandas as pd

__all__ = ["trials", "reports", "events", "header", "stderr_tails", "open_log", "STATES", "EVENT_KINDS"]

#: Trial states by their stored number (h5tune::TrialState).
STATES = ["pending", "running", "complete", "failed", "pruned", "interrupted"]
#: Journal event kinds by their stored number (h5tune::EventKind).
EVENT_KINDS = ["ask", "start", "tell", "run_start", "run_stop", "retry"]
#: Parameter kinds by their stored number (h5tune::ParamKind).
PARAM_KINDS = ["float", "int", "categorical"]

# The fixed columns of `h5tune export`, in its order (apps/h5tune/trial_table.cpp).
_FIXED_COLUMNS = ["id", "state", "value", "seed", "rank", "host", "t_created", "t_started", "t_finished",
                  "duration", "attempt", "parent", "generation", "budget", "message"]
_INT64_MIN = np.iinfo(np.int64).min
_UNWRITTEN_EVENT = 255


def open_log(path):
    """Open a log read-only, in SWMR mode when the file allows it (a live or SWMR-created file)."""
    try:
        return h5py.File(path, "r", swmr=True)
    except (OSError, ValueError):
        # Not created in the SWMR-capable format (or an HDF5 without SWMR): read it plainly.
        return h5py.File(path, "r")


@contextlib.contextmanager
def _opened(source):
    if isinstance(source, h5py.File):
        _check_log(source, source.filename)
        yield source
    else:
        f = open_log(source)
        try:
            _check_log(f, source)
            yield f
        finally:
            f.close()


def _check_log(f, name):
    if "format_version" not in f.attrs:
        raise ValueError(f"{name}: not an h5tune log (no format_version attribute)")


def _text(value):
    """Fixed-length text (bytes, numpy.bytes_) or an h5py string as str."""
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value).rstrip(b"\0").decode("utf-8", errors="replace")
    if isinstance(value, np.ndarray) and value.shape == ():
        return _text(value[()])
    return str(value)


def _texts(column):
    """A numpy array of fixed-length byte strings as a list of str."""
    return [_text(v) for v in column]


def _text_column(values):
    """A list of str as an object column (pandas would make an empty list float64)."""
    return pd.Series(values, dtype="object").to_numpy()


def _rows(f, name):
    """All rows of a 1-D dataset (refreshed first, so a live file shows its latest flush)."""
    if name not in f:
        return None
    dataset = f[name]
    if f.swmr_mode:
        dataset.refresh()
    return dataset[:]


def _names(f, name):
    rows = _rows(f, name)
    return [] if rows is None else _texts(rows)


def header(source):
    """The study facts of a log as a dict: every root attribute (format_version, study_name,
    seed, strategy, direction, metric, max_trials, mpi_size, hostnames, created ...), plus
    ``study_text`` (the study file verbatim), ``space`` (a list of dicts: name, kind, low,
    high, log, choices) and ``enqueued`` (trials 0 .. enqueued - 1 ran the study's
    [[enqueue]] points; 0 when it had none)."""
    with _opened(source) as f:
        out = {}
        for key, value in f.attrs.items():
            if isinstance(value, np.ndarray) and value.ndim == 1:
                out[key] = [_text(v) if isinstance(v, (bytes, np.bytes_)) else v.item() for v in value]
            elif isinstance(value, (bytes, np.bytes_, str)):
                out[key] = _text(value)
            else:
                out[key] = value.item() if hasattr(value, "item") else value
        out.setdefault("enqueued", 0)
        out["study_text"] = _text(f["study_file"][()]) if "study_file" in f else ""
        out["space"] = _space(f)
        return out


def _space(f):
    rows = _rows(f, "space")
    if rows is None:
        return []
    params = [{"name": _text(r["name"]), "kind": PARAM_KINDS[int(r["kind"])], "low": float(r["low"]),
               "high": float(r["high"]), "log": bool(r["log"]), "choices": []} for r in rows]
    choices = _rows(f, "space_choices")
    if choices is not None:
        for r in sorted(choices, key=lambda r: (int(r["param"]), int(r["index"]))):
            params[int(r["param"])]["choices"].append(_text(r["choice"]))
    return params


def _final_metrics(f, n_trials):
    """{metric name: float array over trial ids}, the highest attempt's rows winning, later
    rows of one attempt replacing earlier ones (as h5tune::LogReader does)."""
    names = _names(f, "metric_names")
    rows = _rows(f, "trials/metrics")
    out = {}
    if rows is None or len(rows) == 0:
        return names, out
    long = pd.DataFrame({"trial": rows["trial"].astype(np.int64), "metric": rows["metric"].astype(np.int64),
                         "value": rows["value"].astype(np.float64), "attempt": rows["attempt"].astype(np.int64)})
    long = long[(long["trial"] >= 0) & (long["trial"] < n_trials)]
    long = long[long["attempt"] == long.groupby("trial")["attempt"].transform("max")]
    long = long.drop_duplicates(["trial", "metric"], keep="last")  # append order: the later row wins
    for index, group in long.groupby("metric", sort=True):
        name = names[index] if 0 <= index < len(names) and names[index] else f"metric#{index}"
        values = np.full(n_trials, np.nan)
        values[group["trial"].to_numpy()] = group["value"].to_numpy()
        out[name] = values
    for name in out:
        if name not in names:
            names.append(name)
    return names, out


def trials(source):
    """One row per trial, the same table as ``h5tune export`` (same columns, same values):
    id, state (text), value, seed (uint64), rank, host (name), t_created, t_started,
    t_finished, duration, attempt, parent, generation (derived from the parent chain), budget,
    message, then one column per parameter (float, Int64 for integers, text for categorical
    choices; missing values are NaN/<NA>),
    then one column per metric (float). A parameter or metric whose name is already a
    column is prefixed ``param.`` / ``metric.``. Rows not written yet (a live log) read as
    pending trials."""
    with _opened(source) as f:
        table = _rows(f, "trials/table")
        n = 0 if table is None else len(table)
        hosts = _names(f, "hosts")
        written = table["id"] >= 0 if n else np.zeros(0, dtype=bool)

        def field(name, fill):
            values = table[name].copy()
            values[~written] = fill
            return values

        frame = {"id": np.arange(n, dtype=np.int64)}
        frame["state"] = _text_column([STATES[s] if s < len(STATES) else f"state#{s}" for s in field("state", 0)])
        frame["value"] = field("value", np.nan).astype(np.float64)
        frame["seed"] = field("seed", 0).astype(np.uint64)
        frame["rank"] = field("rank", -1).astype(np.int64)
        frame["host"] = _text_column([hosts[h] if 0 <= h < len(hosts) else "" for h in field("host", -1)])
        for name in ("t_created", "t_started", "t_finished"):
            frame[name] = field(name, np.nan).astype(np.float64)
        frame["duration"] = frame["t_finished"] - frame["t_started"]
        frame["attempt"] = field("attempt", 0).astype(np.int64)
        frame["parent"] = field("parent", -1).astype(np.int64)
        frame["generation"] = _generations(frame["parent"])
        frame["budget"] = field("budget", 0).astype(np.int64)
        frame["message"] = _text_column([_text(m) if w else "" for m, w in zip(table["message"], written)] if n else [])
        columns = list(_FIXED_COLUMNS)

        def column_name(name, prefix):
            while name in columns:  # as the CLI: the prefix again until the name is unique
                name = prefix + name
            return name

        params = _rows(f, "trials/params")
        for p in _space(f):
            name = column_name(p["name"], "param.")
            columns.append(name)
            frame[name] = _param_column(p, params, written, n)
        metric_names, metrics = _final_metrics(f, n)
        for m in metric_names:
            name = column_name(m, "metric.")
            columns.append(name)
            frame[name] = metrics.get(m, np.full(n, np.nan))
        return pd.DataFrame(frame, columns=columns)


def _generations(parent):
    """0 for a trial without a parent, else its parent's generation plus one; -1 when the
    chain reaches a parent that is not an earlier trial (as h5tune export)."""
    ids = np.arange(len(parent), dtype=np.int64)
    generation = np.where(parent < 0, 0, -1).astype(np.int64)
    child = np.flatnonzero((parent >= 0) & (parent < ids))
    # One pass per generation: a child is settled once its parent is.
    while child.size:
        settled = generation[parent[child]] >= 0
        if not settled.any():
            break
        generation[child[settled]] = generation[parent[child[settled]]] + 1
        child = child[~settled]
    return generation


def _param_column(param, params, written, n):
    """One parameter over all trials; rows the params table does not hold yet are missing."""
    have = 0 if params is None else min(len(params), n)
    present = np.zeros(n, dtype=bool)
    present[:have] = written[:have]
    if param["kind"] == "categorical":
        raw = _texts(params[param["name"]][:have]) if have else []
        values = [raw[i] if i < have and present[i] and raw[i] in param["choices"] else None for i in range(n)]
        return pd.array(values, dtype="object")
    if param["kind"] == "int":
        values = np.full(n, _INT64_MIN, dtype=np.int64)
        if have:
            values[:have] = params[param["name"]][:have]
        mask = ~present | (values == _INT64_MIN)
        return pd.arrays.IntegerArray(values, mask)
    values = np.full(n, np.nan)
    if have:
        values[:have] = params[param["name"]][:have]
    values[~present] = np.nan
    return values


def reports(source):
    """Learning curves in long form: one row per (trial, step, time, metric) with its value,
    in log order. Columns: trial, step, time, metric (name), value, attempt.

    /reports keeps the reports of every attempt of a trial (a re-run after ``--resume`` or
    ``max_retries`` reports its steps again), each row with its ``attempt``. In logs written
    before rows had that field it is derived from the journal: each attempt starts with a
    ``start`` event, and a report belongs to the latest attempt started at or before its
    time; the trial's latest attempt is its ``attempt`` in the trials table. Keep
    ``curves[curves.attempt == curves.groupby("trial").attempt.transform("max")]`` for the
    curves of the attempts whose final metrics ``trials()`` shows."""
    with _opened(source) as f:
        names = _names(f, "metric_names")
        rows = _rows(f, "reports")
        if rows is None or len(rows) == 0:
            return pd.DataFrame({"trial": pd.Series(dtype="int64"), "step": pd.Series(dtype="int64"),
                                 "time": pd.Series(dtype="float64"), "metric": pd.Series(dtype="object"),
                                 "value": pd.Series(dtype="float64"), "attempt": pd.Series(dtype="int64")})
        rows = rows[rows["trial"] >= 0]
        metric = [names[i] if 0 <= i < len(names) and names[i] else f"metric#{i}" for i in rows["metric"]]
        out = pd.DataFrame({"trial": rows["trial"].astype(np.int64), "step": rows["step"].astype(np.int64),
                            "time": rows["time"].astype(np.float64), "metric": _text_column(metric),
                            "value": rows["value"].astype(np.float64)})
        if "attempt" in rows.dtype.names:
            out["attempt"] = rows["attempt"].astype(np.int64)
        else:
            out["attempt"] = _report_attempts(f, out)
        return out


def _report_attempts(f, curves):
    """For logs whose reports have no attempt field: the attempt of each report, the trial's latest attempt (the larger of its table row's
    attempt and its number of start events - 1, as a live file's journal can be a flush ahead
    of the table, and a killed run can have lost a start with its unflushed rows) minus the
    number of the trial's start events after the report."""
    if curves.empty:
        return np.zeros(0, dtype=np.int64)
    journal = _rows(f, "events")
    if journal is None:
        journal = np.zeros(0, dtype=[("time", "f8"), ("kind", "u1"), ("trial", "i8")])
    journal = journal[(journal["kind"] == EVENT_KINDS.index("start")) & (journal["trial"] >= 0)]
    starts = pd.DataFrame({"trial": journal["trial"].astype(np.int64), "time": journal["time"].astype(np.float64)})
    starts = starts.sort_values(["time"], kind="stable")
    starts["started"] = starts.groupby("trial").cumcount() + 1  # starts of the trial up to this one
    count = starts.groupby("trial")["started"].max()

    table = _rows(f, "trials/table")
    logged = np.zeros(0, dtype=np.int64) if table is None else np.where(table["id"] >= 0, table["attempt"], 0)
    trial = curves["trial"].to_numpy()
    known = trial < len(logged)
    latest = np.zeros(len(curves), dtype=np.int64)
    latest[known] = logged[trial[known]]
    n_starts = count.reindex(trial, fill_value=0).to_numpy()
    latest = np.maximum(latest, n_starts - 1)

    # The latest start of the same trial at or before each report's time.
    order = np.argsort(curves["time"].to_numpy(), kind="stable")
    probe = pd.DataFrame({"row": order, "trial": trial[order], "time": curves["time"].to_numpy()[order]})
    matched = pd.merge_asof(probe, starts, on="time", by="trial", direction="backward")
    started = np.zeros(len(curves), dtype=np.int64)
    started[matched["row"].to_numpy()] = matched["started"].fillna(0).to_numpy(dtype=np.int64)
    return np.maximum(latest - (n_starts - started), 0)


def events(source):
    """The journal in order: time, kind (ask, start, tell, run_start, run_stop, retry), trial, rank."""
    with _opened(source) as f:
        rows = _rows(f, "events")
        if rows is None:
            rows = np.zeros(0, dtype=[("time", "f8"), ("kind", "u1"), ("trial", "i8"), ("rank", "i4")])
        rows = rows[rows["kind"] != _UNWRITTEN_EVENT]
        kind = _text_column([EVENT_KINDS[k] if k < len(EVENT_KINDS) else f"kind#{k}" for k in rows["kind"]])
        return pd.DataFrame({"time": rows["time"].astype(np.float64), "kind": kind,
                             "trial": rows["trial"].astype(np.int64), "rank": rows["rank"].astype(np.int64)})


def stderr_tails(source):
    """{trial id: the last bytes of its command's stderr}, for the trials that have one: the
    latest row of a trial wins, so a re-run's tail, empty or not, replaces an earlier
    attempt's; a trial whose latest tail is empty is left out."""
    with _opened(source) as f:
        rows = _rows(f, "trials/stderr")
        out = {}
        if rows is not None:
            for r in rows:
                if int(r["trial"]) >= 0:
                    out[int(r["trial"])] = _text(r["text"])
        return {trial: text for trial, text in out.items() if text}
