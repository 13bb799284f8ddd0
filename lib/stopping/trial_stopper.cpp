#include "stopping/trial_stopper.hpp"

#include <algorithm>
#include <cmath>

#include "h5tune/seed.hpp"

namespace h5tune::stopping {

TrialStopper::TrialStopper(const StudyConfig& study) {
  if (!study.stopping) return;
  rule_ = make_stopping_rule(*study.stopping, study.direction, derive_seed(study.seed, SeedStream::stopping, 0));
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

void TrialStopper::replay(const std::vector<Report>& reports, const std::vector<TrialRecord>& finished_trials) {
  if (!rule_) return;
  std::vector<const TrialRecord*> by_end;
  by_end.reserve(finished_trials.size());
  for (const auto& t : finished_trials) by_end.push_back(&t);
  // Stable: reports of one trial keep their logged order, and a trial with no finish time
  // (never in a kept trial) goes last.
  std::stable_sort(by_end.begin(), by_end.end(), [](const TrialRecord* a, const TrialRecord* b) {
    return std::isnan(b->t_finished) ? !std::isnan(a->t_finished) : a->t_finished < b->t_finished;
  });
  auto next = by_end.begin();
  for (const auto& report : reports) {
    for (; next != by_end.end() && (*next)->t_finished < report.time; ++next) finished(**next);
    should_stop(report.trial, report.step, report.metrics);
  }
  for (; next != by_end.end(); ++next) finished(**next);
}

}  // namespace h5tune::stopping
