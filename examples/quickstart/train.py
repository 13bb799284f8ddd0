"""A stand-in for a training script: a smooth loss surface over (lr, layers, act) with a
learning curve and seeded noise. It speaks h5tune's protocol: one `h5tune: step=...` line
per epoch (a learning-curve point) and a final `h5tune: loss=... acc=...` line."""
import argparse
import math
import os
import random
import time

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--layers", type=int, required=True)
parser.add_argument("--act", choices=["relu", "tanh", "gelu"], required=True)
parser.add_argument("--epochs", type=int, default=10)
args = parser.parse_args()

rng = random.Random(int(os.environ.get("H5TUNE_SEED", "0")))
act_penalty = {"relu": 0.05, "tanh": 0.15, "gelu": 0.0}[args.act]
# Best near lr = 0.01 and 3 layers.
final = 0.1 + 0.3 * (math.log10(args.lr) + 2) ** 2 + 0.04 * (args.layers - 3) ** 2 + act_penalty
loss = final
for epoch in range(1, args.epochs + 1):
    loss = final + (2.0 - final) * math.exp(-0.5 * epoch) + rng.gauss(0, 0.01)
    print(f"h5tune: step={epoch} loss={loss:.6f}", flush=True)
    time.sleep(0.01)
print(f"h5tune: loss={loss:.6f} acc={max(0.0, 1.0 - loss / 3):.4f}")
