#include "replay_checkpoints.hpp"

#include <system_error>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "runtime/checkpoint_paths.hpp"

namespace h5tune::cli {

CheckpointPaths replay_checkpoints(const StudyConfig& study, const std::filesystem::path& log, const TrialRecord& trial,
                                   const std::filesystem::path& replay_dir) {
  CheckpointPaths paths = runtime::checkpoint_paths(study, trial.id, trial.parent);
  if (paths.save.empty()) return paths;  // the strategy continues no checkpoints
  paths.save = replay_dir / "checkpoint";
  if (paths.restore.empty()) return paths;  // a first segment starts from scratch, as in the run
  std::error_code ec;
  if (!std::filesystem::is_directory(paths.restore, ec))
    throw InputError(fmt::format(
        "{}: trial {} continued from trial {}'s checkpoint {}, which no longer exists (the run deletes "
        "checkpoints no later trial needs): trial {} cannot be replayed; replay a trial whose parent's "
        "checkpoint is kept, or one without a parent",
        log.string(), trial.id, trial.parent, paths.restore.string(), trial.id));
  return paths;
}

}  // namespace h5tune::cli
