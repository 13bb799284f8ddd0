#pragma once
// Checkpoints of a replayed trial (pbt, successive_halving): it continues from its parent's
// checkpoint where the run left it, and saves a checkpoint of its own beside the replay.
#include <filesystem>

#include "h5tune/objective.hpp"
#include "h5tune/study.hpp"

namespace h5tune::cli {

/// What `trial`, replayed in `replay_dir`, saves to and restores from: it restores the
/// checkpoint the run's trial restored (its parent's, in the run's trial directories) and
/// saves into `<replay_dir>/checkpoint`, so the run's checkpoints stay as they were. Both
/// empty for a study whose strategy continues no checkpoints. Throws InputError naming
/// `log` when the parent's checkpoint is gone (the run deletes those no later trial needs):
/// without it the trial would start from scratch and could not reproduce.
CheckpointPaths replay_checkpoints(const StudyConfig& study, const std::filesystem::path& log, const TrialRecord& trial,
                                   const std::filesystem::path& replay_dir);

}  // namespace h5tune::cli
