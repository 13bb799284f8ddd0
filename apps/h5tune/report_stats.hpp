#pragma once
// Figures about a whole study that report and compare print: counts by state, the best
// trial, how soon it was found, the wall time.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "h5tune/log.hpp"

namespace h5tune::cli::report {

/// Summary figures of one log's trials.
struct StudyStats {
  std::int64_t trials = 0;
  std::array<std::int64_t, 6> by_state{};  ///< indexed by TrialState
  std::optional<TrialRecord> best;         ///< best complete trial (lowest id among equals)
  /// Trials finished when the best one finished (counting it), in t_finished order: the cost
  /// of finding it. 0 without a best trial.
  std::int64_t trials_to_best = 0;
  double wall_seconds = 0.0;  ///< first t_created to last t_finished (NaN when nothing finished)
  double first_created = 0.0;
};

/// Figures of `trials` (id order) for a study of direction `minimize`.
StudyStats study_stats(const std::vector<TrialRecord>& trials, bool minimize);

}  // namespace h5tune::cli::report
