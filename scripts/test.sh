#!/usr/bin/env bash
# The README's second command: install dependencies, build, run the whole test suite; then
# the same tests again under AddressSanitizer and UBSan.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
"$root/scripts/install-deps.sh" test

"$root/scripts/build.sh" "$root/build" -DH5TUNE_TESTS=ON
(cd "$root/build" && ctest --output-on-failure --timeout 300 -j 2)

if [ "${H5TUNE_SKIP_SANITIZERS:-0}" != 1 ]; then
  "$root/scripts/build.sh" "$root/build-asan" -DH5TUNE_TESTS=ON -DH5TUNE_BENCH=OFF -DH5TUNE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
  # Open MPI and HDF5 keep allocations alive until exit; leak reports come from our code only.
  export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  (cd "$root/build-asan" && ctest --output-on-failure --timeout 600 -j 2)
fi
