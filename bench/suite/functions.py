"""The test functions of bench/suite/functions.cpp, for the Python baselines.

Each function takes a list of parameter values in space order (categoricals as choice
indices). `python3 functions.py --check <sample_efficiency>` compares every function with the
C++ one at the fixed points `sample_efficiency --print-values` prints (and at x*).
"""
import math
import subprocess
import sys

PI = math.pi

# A parameter: (name, kind, low, high, log, choices); kind is "float", "int" or "choice".


def box(d, low, high):
    return [(f"x{i}", "float", low, high, False, None) for i in range(d)]


def branin(x):
    b, c, t = 5.1 / (4.0 * PI * PI), 5.0 / PI, 1.0 / (8.0 * PI)
    q = x[1] - b * x[0] * x[0] + c * x[0] - 6.0
    return q * q + 10.0 * (1.0 - t) * math.cos(x[0]) + 10.0


ALPHA = [1.0, 1.2, 3.0, 3.2]
A3 = [[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]]
P3 = [[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]]
A6 = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P6 = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
      [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def hartmann(x, a, p):
    total = 0.0
    for i in range(4):
        inner = 0.0
        for j in range(len(x)):
            inner += a[i][j] * (x[j] - 1e-4 * p[i][j]) * (x[j] - 1e-4 * p[i][j])
        total += ALPHA[i] * math.exp(-inner)
    return -total


def rosenbrock(x):
    return sum(100.0 * (x[i + 1] - x[i] * x[i]) ** 2 + (1.0 - x[i]) ** 2 for i in range(len(x) - 1))


ACKLEY_SHIFT = 0.37 * 32.768


def ackley_shifted(x):
    z = [v - ACKLEY_SHIFT for v in x]
    n = len(z)
    sq = sum(v * v for v in z)
    cs = sum(math.cos(2.0 * PI * v) for v in z)
    return -20.0 * math.exp(-0.2 * math.sqrt(sq / n)) - math.exp(cs / n) + 20.0 + math.e


def levy(x):
    w = [1.0 + (v - 1.0) / 4.0 for v in x]
    total = math.sin(PI * w[0]) ** 2
    for i in range(len(w) - 1):
        total += (w[i] - 1.0) ** 2 * (1.0 + 10.0 * math.sin(PI * w[i] + 1.0) ** 2)
    total += (w[-1] - 1.0) ** 2 * (1.0 + math.sin(2.0 * PI * w[-1]) ** 2)
    return total


MIXED_BEST_LOG10_LR = [-3.0, -2.5, -2.0, -1.5]  # relu tanh gelu sigmoid
MIXED_ACT_FLOOR = [0.2, 0.0, 0.1, 0.6]


def mixed5(x):
    act = int(x[2])
    return ((math.log10(x[0]) - MIXED_BEST_LOG10_LR[act]) ** 2 + 0.15 * (x[1] - 5.0) ** 2 + MIXED_ACT_FLOOR[act]
            + 4.0 * (x[3] - 0.3) ** 2 + 0.5 * (math.log2(x[4]) - 7.0) ** 2)


MIXED_SPACE = [("lr", "float", 1e-4, 1.0, True, None), ("layers", "int", 1, 8, False, None),
               ("act", "choice", 0, 3, False, ["relu", "tanh", "gelu", "sigmoid"]),
               ("dropout", "float", 0.0, 0.8, False, None), ("units", "int", 16, 512, True, None)]

# name -> (space, f, f*, continuous), in the order of functions.cpp.
FUNCTIONS = {
    "branin": ([("x0", "float", -5.0, 10.0, False, None), ("x1", "float", 0.0, 15.0, False, None)],
               branin, 5.0 / (4.0 * PI), True),
    "hartmann3": (box(3, 0.0, 1.0), lambda x: hartmann(x, A3, P3), -3.862779787332663, True),
    "hartmann6": (box(6, 0.0, 1.0), lambda x: hartmann(x, A6, P6), -3.3223680114155147, True),
    "rosenbrock4": (box(4, -5.0, 10.0), rosenbrock, 0.0, True),
    "ackley10": (box(10, -32.768, 32.768), ackley_shifted, 0.0, True),
    "levy10": (box(10, -10.0, 10.0), levy, 0.0, True),
    "mixed5": (MIXED_SPACE, mixed5, 0.0, False),
}

CSV_HEADER = "source,function,strategy,workers,seed,budget,best,regret,sec_per_suggestion,wall_seconds"


def select(names):
    """The FUNCTIONS entries named in a comma-separated list (all when empty)."""
    if not names:
        return list(FUNCTIONS)
    chosen = names.split(",")
    unknown = [n for n in chosen if n not in FUNCTIONS]
    if unknown:
        sys.exit(f"unknown functions {unknown}; known: {list(FUNCTIONS)}")
    return chosen


def check(executable):
    """Compare with the C++ functions at the points `--print-values` prints."""
    text = subprocess.run([executable, "--print-values"], check=True, capture_output=True, text=True).stdout
    worst = 0.0
    lines = 0
    for line in text.splitlines():
        fields = line.split()
        name, x, f_cpp = fields[0], [float(v) for v in fields[1:-1]], float(fields[-1])
        f_py = FUNCTIONS[name][1](x)
        err = abs(f_py - f_cpp) / max(1.0, abs(f_cpp))
        worst = max(worst, err)
        lines += 1
        if err > 1e-12:
            print(f"MISMATCH {name} x={x} c++={f_cpp!r} python={f_py!r}")
    print(f"{lines} points compared, largest relative difference {worst:.3g}")
    return worst <= 1e-12


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(0 if check(sys.argv[2]) else 1)
    sys.exit("usage: functions.py --check <path to sample_efficiency>")
