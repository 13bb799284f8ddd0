#include "runtime/checkpoint_paths.hpp"

#include <string>

#include "h5tune/command.hpp"

namespace h5tune::runtime {

bool uses_checkpoints(const StudyConfig& study) { return strategy_resumes_checkpoints(study.strategy.kind); }

std::filesystem::path checkpoint_dir(const StudyConfig& study, std::int64_t id) {
  const std::filesystem::path trial = study.command ? trial_directory(*study.command, id)
                                                    : std::filesystem::absolute(study.default_trials_dir() / std::to_string(id));
  return trial / "checkpoint";
}

CheckpointPaths checkpoint_paths(const StudyConfig& study, std::int64_t id, std::int64_t parent) {
  CheckpointPaths paths;
  if (!uses_checkpoints(study)) return paths;
  paths.save = checkpoint_dir(study, id);
  if (parent >= 0) paths.restore = checkpoint_dir(study, parent);
  return paths;
}

}  // namespace h5tune::runtime
