#pragma once
// Processes an earlier attempt of a trial left running, found by the trial directory in
// their environment.
#include <cstddef>
#include <filesystem>

namespace h5tune::objective_detail {

/// SIGKILLs every process (other than us) whose environment holds
/// H5TUNE_TRIAL_DIR=<trial_dir>, and waits up to a few seconds for them to end.
///
/// Why: a killed run's trial program dies with it (spawn.hpp), but processes the program
/// started itself do not (a wrapper script's `python train.py`), and they keep writing in
/// the trial directory. The attempt that runs the trial again there (a `--resume`, a retry)
/// calls this first, so it never shares the directory with a leftover of the one before.
/// Reads /proc; processes we may not inspect are skipped. Returns how many were killed.
std::size_t kill_leftover_processes(const std::filesystem::path& trial_dir);

}  // namespace h5tune::objective_detail
