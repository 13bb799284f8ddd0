#include "stopping/median_rule.hpp"

#include <cmath>

namespace h5tune::stopping {

MedianRule::MedianRule(std::int64_t warmup_trials, std::int64_t warmup_steps, Direction direction)
    : warmup_trials_(warmup_trials),
      warmup_steps_(warmup_steps),
      sign_(direction == Direction::minimize ? 1.0 : -1.0) {}

bool MedianRule::should_stop(std::int64_t trial, std::int64_t step, double value) {
  Curve& curve = running_[trial];
  if (curve.stopped) return true;
  const double oriented = sign_ * value;
  curve.values[step] = oriented;
  if (!std::isnan(oriented) && (!curve.any_finite || oriented < curve.best)) {
    curve.best = oriented;
    curve.any_finite = true;
  }
  if (completed_ == 0 || completed_ < warmup_trials_ || step < warmup_steps_) return false;
  const auto others = completed_at_step_.find(step);
  if (!curve.any_finite) {
    curve.stopped = true;
  } else if (others != completed_at_step_.end() && !others->second.empty()) {
    curve.stopped = curve.best > others->second.median();
  }
  return curve.stopped;
}

void MedianRule::finished(const TrialRecord& trial) {
  const auto found = running_.find(trial.id);
  if (trial.state == TrialState::complete) {
    ++completed_;
    if (found != running_.end()) {
      for (const auto& [step, value] : found->second.values)
        if (!std::isnan(value)) completed_at_step_[step].insert(value);
    }
  }
  if (found != running_.end()) running_.erase(found);
}

}  // namespace h5tune::stopping
