#pragma once
#include <cstdint>
#include <optional>

#include "h5tune/strategy.hpp"
#include "h5tune/study.hpp"

namespace h5tune::runtime {

/// Rank 0's checkpoint clean-up (PBT): deletes the checkpoint directory of every trial the
/// strategy releases (Strategy::released_checkpoints: no member's latest segment and no
/// queued or running segment needs it any more), except the best trial's, which is kept
/// until a better trial replaces it. Trial directories themselves (stdout.log, stderr.log)
/// stay. Deleting from rank 0 assumes the trial directories are on a filesystem every rank
/// shares, as the study directory must be in a multi-node run. A directory that cannot be
/// deleted is left behind silently: disk use is a convenience, not a result.
class CheckpointRetention {
 public:
  explicit CheckpointRetention(const StudyConfig& study);
  /// Takes what `strategy` released since the last call and deletes it (no-op for a study
  /// without checkpoints). `best` is the best complete trial so far.
  void collect(Strategy& strategy, const std::optional<TrialRecord>& best);
  /// Checkpoint directories deleted so far.
  std::int64_t deleted() const noexcept { return deleted_; }

 private:
  void remove(std::int64_t id);
  const StudyConfig& study_;
  bool enabled_;
  std::int64_t held_ = -1;  ///< released, kept while it is the best trial
  std::int64_t deleted_ = 0;
};

}  // namespace h5tune::runtime
