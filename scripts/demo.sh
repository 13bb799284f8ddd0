#!/usr/bin/env bash
# The README's first command: install dependencies, build, run the quickstart study.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" build
"$root/scripts/build.sh" "$root/build" -DH5TUNE_TESTS=OFF -DH5TUNE_BENCH=OFF
demo="$root/build/demo"
mkdir -p "$demo"
cp "$root/examples/quickstart/study.toml" "$root/examples/quickstart/train.py" "$demo/"
"$root/build/apps/h5tune/h5tune" run "$demo/study.toml" --force
echo
echo "Look inside:  build/apps/h5tune/h5tune show build/demo/quickstart.h5"
echo "Export:       build/apps/h5tune/h5tune export build/demo/quickstart.h5 --format csv"
