#include "stopping/trial_stopper.hpp"

namespace h5tune::stopping {

TrialStopper::TrialStopper(const StudyConfig& study) {
  if (!study.stopping) return;
  rule_ = make_stopping_rule(*study.stopping, study.direction);
  metric_ = study.stopping->metric.empty() ? study.metric : study.stopping->metric;
}

bool TrialStopper::should_stop(std::int64_t trial, std::int64_t step, const Metrics& metrics) {
  if (!rule_) return false;
  const auto value = find_metric(metrics, metric_);
  return value && rule_->should_stop(trial, step, *value);
}

void TrialStopper::finished(const TrialRecord& trial) {
  if (rule_) rule_->finished(trial);
}

}  // namespace h5tune::stopping
