"""Makes a log look like one written before report rows carried their attempt: rewrites
/reports without the `attempt` field, keeping every other field and the dataset's layout.

Usage: strip_report_attempt.py LOG   (or import it and call strip(path)).
Used by the tests that check such logs are still read and resumed.
"""
import sys

import h5py
import numpy as np


def strip(path):
    with h5py.File(path, "r+") as f:
        old = f["reports"][...]
        names = [n for n in old.dtype.names if n != "attempt"]
        new = np.empty(old.shape, dtype=[(n, old.dtype[n]) for n in names])
        for n in names:
            new[n] = old[n]
        del f["reports"]
        f.create_dataset("reports", data=new, maxshape=(None,), chunks=(64,))


if __name__ == "__main__":
    strip(sys.argv[1])
