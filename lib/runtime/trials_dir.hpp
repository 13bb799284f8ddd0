#pragma once
// The command's trial directories are checked when a run starts, before its log: a workdir
// that cannot be a directory is bad input then, not a failure of every trial later.
#include "h5tune/study.hpp"

namespace h5tune::runtime {

/// Checks that the parent of the per-trial directories of a study with an objective command
/// (`[objective] workdir`, or `<log>.trials`) is, or can be created as, a directory we can
/// write in; leaves the filesystem as it found it. Throws ConfigError naming the study file
/// and `objective.workdir` (when the study set it) otherwise. Nothing to do for a study
/// without a command.
void check_trials_dir(const StudyConfig& study);

}  // namespace h5tune::runtime
