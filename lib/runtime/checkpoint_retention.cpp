#include "runtime/checkpoint_retention.hpp"

#include <filesystem>
#include <system_error>

#include "runtime/checkpoint_paths.hpp"

namespace h5tune::runtime {

CheckpointRetention::CheckpointRetention(const StudyConfig& study)
    : study_(study), enabled_(uses_checkpoints(study)) {}

void CheckpointRetention::remove(std::int64_t id) {
  std::error_code ec;
  if (std::filesystem::remove_all(checkpoint_dir(study_, id), ec) > 0 && !ec) ++deleted_;
}

void CheckpointRetention::collect(Strategy& strategy, const std::optional<TrialRecord>& best) {
  if (!enabled_) return;
  const std::int64_t best_id = best ? best->id : -1;
  if (held_ >= 0 && held_ != best_id) {
    remove(held_);
    held_ = -1;
  }
  for (const std::int64_t id : strategy.released_checkpoints()) {
    if (id == best_id) held_ = id;
    else remove(id);
  }
}

}  // namespace h5tune::runtime
