#pragma once
// `h5tune ...` under mpiexec, for the end-to-end tests that start an MPI run themselves.
#include <stdlib.h>

#include <string>
#include <vector>

#include "e2e/cli_support.hpp"

namespace h5tune::test {

/// The argv of `mpiexec -n <ranks> --oversubscribe h5tune <args>`. Sets the variables Open MPI
/// needs to start as root (CI runs as root; ctest sets them too, a direct run of the test
/// binary does not).
inline std::vector<std::string> mpiexec_cli(int ranks, const std::vector<std::string>& args) {
  setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
  setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
  std::vector<std::string> argv = {H5TUNE_MPIEXEC, "-n", std::to_string(ranks), "--oversubscribe", cli};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace h5tune::test
