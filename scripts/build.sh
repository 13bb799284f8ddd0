#!/usr/bin/env bash
# Configures and builds h5tune. Usage: scripts/build.sh BUILD_DIR [cmake options...]
# A new build directory gets -O2 with line tables only (-g1): backtraces and sanitizer
# reports still name files and lines, and the compiler works about a quarter less than
# with full debug info. It is also a unity build (CMake's CMAKE_UNITY_BUILD: the sources of
# a target compiled 8 to a unit), which halves a clean build on 2 cores because the heavy
# headers (Eigen, GoogleTest, toml++, CLI11) are parsed once per unit instead of once per
# file; pass -DCMAKE_UNITY_BUILD=OFF for quicker rebuilds of a file at a time. Options
# given here apply to an existing directory too, so the test command turns on the tests in
# a directory the demo command configured without.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: scripts/build.sh BUILD_DIR [cmake options...]}
shift
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" "$@"
elif [ $# -gt 0 ]; then
  cmake -S "$root" -B "$build" "$@" > /dev/null
fi
cmake --build "$build" -j "$(nproc)"
