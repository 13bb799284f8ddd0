#include "stopping/hyperband_rule.hpp"

#include <algorithm>
#include <cmath>

#include "stopping/mix.hpp"

namespace h5tune::stopping {

HyperbandRule::HyperbandRule(std::int64_t min_resource, std::int64_t max_resource,
                             std::int64_t reduction_factor, Direction direction, bool shared_rungs)
    : shared_rungs_(shared_rungs) {
  // B = floor(log_eta(max / min)) + 1, counted in integers to avoid log rounding at exact powers.
  int count = 1;
  for (std::int64_t step = min_resource; step <= max_resource / reduction_factor; step *= reduction_factor) ++count;
  const auto eta = static_cast<double>(reduction_factor);
  for (int b = 0; b < count; ++b) {
    brackets_.emplace_back(min_resource, max_resource, reduction_factor, direction, b);
    const int s = count - 1 - b;
    budgets_.push_back(std::ceil(count * std::pow(eta, s) / (s + 1)));
    total_budget_ += budgets_.back();
  }
}

std::size_t HyperbandRule::bracket_of(std::int64_t trial) const noexcept {
  const double u = static_cast<double>(mix64(static_cast<std::uint64_t>(trial)) >> 11) * 0x1.0p-53;
  double left = u * total_budget_;
  for (std::size_t b = 0; b + 1 < budgets_.size(); ++b) {
    left -= budgets_[b];
    if (left < 0.0) return b;
  }
  return budgets_.size() - 1;
}

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
