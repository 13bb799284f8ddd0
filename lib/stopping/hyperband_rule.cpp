#include "stopping/hyperband_rule.hpp"

#include <algorithm>
#include <cmath>


namespace h5tune::stopping {

HyperbandRule::HyperbandRule(std::int64_t min_resource, std::int64_t max_resource,
                             std::int64_t reduction_factor, Direction direction, bool shared_rungs,
                             std::uint64_t seed)
    : shared_rungs_(shared_rungs),
      sequence_(hyperband_bracket_budgets(hyperband_bracket_count(min_resource, max_resource, reduction_factor),
                                          static_cast<double>(reduction_factor)),
                seed) {
  for (std::size_t b = 0; b < sequence_.size(); ++b)
    brackets_.emplace_back(min_resource, max_resource, reduction_factor, direction, static_cast<int>(b));
}

std::size_t HyperbandRule::bracket_of(std::int64_t trial) const noexcept { return sequence_.bin_of(trial); }

bool HyperbandRule::should_stop(std::int64_t trial, std::int64_t step, double value) {
  const std::size_t own = bracket_of(trial);
  if (!shared_rungs_) return brackets_[own].should_stop(trial, step, value);
  if (stopped_.count(trial)) return true;
  if (!std::isnan(value)) {
    auto& up_to = shared_up_to_.try_emplace(trial, 0).first->second;
    for (std::size_t b = 0; b < brackets_.size(); ++b)
      if (b != own) brackets_[b].file(up_to, step, value);
    up_to = std::max(up_to, step);
  }
  const bool stop = brackets_[own].should_stop(trial, step, value);
  if (stop) stopped_.insert(trial);
  return stop;
}

void HyperbandRule::finished(const TrialRecord& trial) {
  brackets_[bracket_of(trial.id)].finished(trial);
  shared_up_to_.erase(trial.id);
  stopped_.erase(trial.id);
}

}  // namespace h5tune::stopping
