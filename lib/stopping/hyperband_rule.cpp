#include "stopping/hyperband_rule.hpp"

#include <algorithm>
#include <cmath>

#include "stopping/mix.hpp"

namespace h5tune::stopping {

HyperbandRule::HyperbandRule(std::int64_t min_resource, std::int64_t max_resource,
                             std::int64_t reduction_factor, Direction direction, bool shared_rungs,
                             std::uint64_t seed)
    : shared_rungs_(shared_rungs), offset_(mix64(seed)) {
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
  // The golden ratio's fractional part in 64-bit fixed point: the sum wraps exactly mod 1.
  constexpr std::uint64_t golden = 0x9e3779b97f4a7c15ULL;
  const std::uint64_t x = offset_ + static_cast<std::uint64_t>(trial) * golden;
  const double u = static_cast<double>(x >> 11) * 0x1.0p-53;
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
