#pragma once
#include <functional>

namespace h5tune::cli {

/// Exit codes of the h5tune command (documented in README.md).
enum ExitCode : int {
  exit_ok = 0,
  exit_failure = 1,      ///< a runtime failure (HDF5, MPI, I/O)
  exit_bad_input = 2,    ///< a bad study file, command line or log file; nothing was written
  exit_interrupted = 3,  ///< the run was stopped by a signal; resume it with --resume
};

/// Runs `body`, printing any h5tune error as one line "h5tune: error: ..." on stderr (only
/// when `print` is true: under MPI only rank 0 speaks) and mapping it to its exit code.
int guarded(const std::function<int()>& body, bool print = true);

}  // namespace h5tune::cli
