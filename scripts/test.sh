#!/usr/bin/env bash
# The README's second command: install dependencies, build, run the whole test suite; then
# the same tests again under AddressSanitizer and UBSan.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
"$root/scripts/install-deps.sh" test

"$root/scripts/build.sh" "$root/build" -DH5TUNE_TESTS=ON -DH5TUNE_BENCH=ON
(cd "$root/build" && ctest --no-tests=error --output-on-failure --timeout 300 -j 2)

# The fuzz targets (fuzz/, docs/fuzzing.md): clang builds only the library and them, then
# each target fuzzes for a bounded time (H5TUNE_FUZZ_SECONDS, default 60; 0 skips).
# One file per unit here, not a unity build: a file compiled on its own is the only check
# that it includes what it uses (in a unit it may lean on an #include of the file before
# it), and this is the cheapest of the three builds to do it in (docs/benchmarks.md).
fuzz_seconds=${H5TUNE_FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" != 0 ]; then
  CC=clang CXX=clang++ "$root/scripts/build.sh" "$root/build-fuzz" -DH5TUNE_FUZZ=ON -DH5TUNE_TESTS=OFF \
    -DH5TUNE_BENCH=OFF -DH5TUNE_APPS=OFF -DH5TUNE_INSTALL=OFF -DCMAKE_UNITY_BUILD=OFF
  (cd "$root/build-fuzz" && ctest --no-tests=error --output-on-failure --timeout 300 -L unit)
  "$root/scripts/fuzz.sh" "$root/build-fuzz" "$fuzz_seconds"
fi

if [ "${H5TUNE_SKIP_SANITIZERS:-0}" != 1 ]; then
  # Debug keeps assertions on; line tables (-g1) are all a sanitizer report needs. -Og, not
  # -O0: Eigen unoptimized makes the GP tests 20 times slower than in the plain build, and
  # -Og halves the sanitized tests' time for no more compile time (docs/benchmarks.md, CI).
  # A unity build like the plain one: one file per unit took 2.4 times as long here, and
  # the fuzz build above already compiles the library's files one at a time.
  "$root/scripts/build.sh" "$root/build-asan" -DH5TUNE_TESTS=ON -DH5TUNE_BENCH=OFF -DH5TUNE_SANITIZE=ON \
    -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-Og -g1" "-DCMAKE_C_FLAGS_DEBUG=-Og -g1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  # Leak checks where no MPI is initialized. Open MPI unloads its plugins before exit, so
  # their allocations show up as leaks of an "<unknown module>" that no suppression can
  # name: tests that start MPI run with every ASan check except the leak check.
  export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
  # The log reader opens files under an address-space cap (lib/log/memory_cap.hpp) and
  # counts on malloc returning NULL past it, as glibc's does; ASan's aborts unless told.
  asan="abort_on_error=1:allocator_may_return_null=1"
  (cd "$root/build-asan" && ASAN_OPTIONS="detect_leaks=1:$asan" \
     ctest --no-tests=error --output-on-failure --timeout 900 -j 2 -L 'unit|log|runtime')
  (cd "$root/build-asan" && ASAN_OPTIONS="detect_leaks=0:$asan" \
     ctest --no-tests=error --output-on-failure --timeout 900 -j 2 -LE 'unit|log|runtime')
fi
