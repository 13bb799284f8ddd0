#!/usr/bin/env bash
# Installs h5tune's build and test dependencies from Debian 12's packages, skipping what is
# already installed. Usage: scripts/install-deps.sh [build|test|bench]
set -euo pipefail
mode=${1:-build}

build_packages=(
  build-essential cmake pkg-config git
  libopenmpi-dev openmpi-bin          # MPI: rank 0 manager + worker ranks
  libhdf5-dev hdf5-tools              # the HDF5 log (C API), h5dump/h5clear
  libboost-serialization-dev          # message and strategy-state serialization
  libeigen3-dev liblbfgspp-dev        # GP linear algebra, L-BFGS-B (kernel fit, acquisition polish)
  libtomlplusplus-dev                 # study files
  libcli11-dev                        # the command line
  nlohmann-json3-dev libfmt-dev       # JSON export, formatting
  zlib1g-dev                          # the digits example reads its embedded .csv.gz
  python3                             # the demo study's objective script
)
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-h5py python3-pandas         # the log is read from Python in the tests
  chromium                            # renders the h5tune report page headless in the e2e tests
  slurmctld slurmd slurm-client munge  # a single-node Slurm for the h5tune submit tests
  clang libclang-rt-14-dev            # the libFuzzer targets in fuzz/ (libclang_rt.fuzzer)
)

bench_packages=(
  libbenchmark-dev
  python3-optuna python3-sklearn python3-pandas  # the baselines of bench/suite (Optuna 3.1, scikit-learn GP-EI)
)

case "$mode" in
  build) wanted=("${build_packages[@]}") ;;
  test) wanted=("${build_packages[@]}" "${test_packages[@]}") ;;
  bench) wanted=("${build_packages[@]}" "${bench_packages[@]}") ;;
  *) echo "install-deps.sh: unknown mode '$mode' (build, test or bench)" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "dependencies: all installed"
  exit 0
fi
echo "dependencies: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
