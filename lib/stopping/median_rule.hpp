#pragma once
#include <cstdint>
#include <map>
#include <unordered_map>

#include "h5tune/stopping.hpp"
#include "stopping/ordered_values.hpp"

namespace h5tune::stopping {

/// Optuna's MedianPruner: a trial stops at step s when the best value it has reported so
/// far is worse than the median of the values completed trials reported at step s.
///
/// No trial stops before `warmup_trials` trials have completed (Optuna's n_startup_trials,
/// default 5) or at a step below `warmup_steps` (n_warmup_steps, default 0); a step no
/// completed trial reported at decides nothing. A trial whose every value so far is NaN
/// stops. The median of an even count is the mean of the two middle values (numpy's
/// percentile, as Optuna). Completed trials' values live in one OrderedValues per step, so
/// a decision costs O(log n) and a completed trial's curve is filed once, O(steps log n).
class MedianRule final : public StoppingRule {
 public:
  MedianRule(std::int64_t warmup_trials, std::int64_t warmup_steps, Direction direction);
  bool should_stop(std::int64_t trial, std::int64_t step, double value) override;
  void finished(const TrialRecord& trial) override;
  StoppingKind kind() const noexcept override { return StoppingKind::median; }

 private:
  /// Values are kept oriented so that smaller is better (negated when maximizing).
  struct Curve {
    std::map<std::int64_t, double> values;  ///< by step; the last report of a step wins
    double best = 0.0;                     ///< smallest finite value so far
    bool any_finite = false;
    bool stopped = false;
  };

  std::int64_t warmup_trials_;
  std::int64_t warmup_steps_;
  double sign_;  ///< +1 minimize, -1 maximize
  std::int64_t completed_ = 0;
  std::unordered_map<std::int64_t, Curve> running_;
  std::unordered_map<std::int64_t, OrderedValues> completed_at_step_;
};

}  // namespace h5tune::stopping
