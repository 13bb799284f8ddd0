#!/usr/bin/env bash
# Installs h5tune from a build tree into a temporary prefix, builds examples/cpp against it
# with find_package(h5tune), and runs the example under mpiexec with 3 ranks.
set -euo pipefail
build=${1:?build dir}
source=${2:?source dir}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$source/examples/cpp" -B "$work/example" -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log"
cmake --build "$work/example" -j 2 > "$work/build.log"
cp "$source/examples/cpp/study.toml" "$work/"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
out=$(mpiexec -n 3 --oversubscribe "$work/example/tune_ridge" "$work/study.toml")
echo "$out"
grep -q "best val_mse" <<< "$out"
test -f "$work/ridge.h5"
# The log is a normal h5tune log: 30 complete trials.
"$build/apps/h5tune/h5tune" show "$work/ridge.h5" | grep -q "30 complete"
echo "consumer OK"
