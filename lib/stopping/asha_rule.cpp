#include "stopping/asha_rule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace h5tune::stopping {

std::vector<std::int64_t> rung_steps(std::int64_t min_resource, std::int64_t max_resource, std::int64_t eta,
                                     int first_rung) {
  std::vector<std::int64_t> steps;
  std::int64_t step = min_resource;
  for (int k = 0; step < max_resource; ++k) {
    if (k >= first_rung) steps.push_back(step);
    if (step > std::numeric_limits<std::int64_t>::max() / eta) break;
    step *= eta;
  }
  return steps;
}

AshaRule::AshaRule(std::int64_t min_resource, std::int64_t max_resource, std::int64_t reduction_factor,
                   Direction direction, int first_rung)
    : reduction_factor_(reduction_factor), sign_(direction == Direction::minimize ? 1.0 : -1.0) {
  for (const auto step : stopping::rung_steps(min_resource, max_resource, reduction_factor, first_rung))
    rungs_.push_back(Rung{step, {}});
}

std::vector<std::int64_t> AshaRule::rung_steps() const {
  std::vector<std::int64_t> steps;
  for (const auto& rung : rungs_) steps.push_back(rung.step);
  return steps;
}

bool AshaRule::should_stop(std::int64_t trial, std::int64_t step, double value) {
  auto& next = next_rung_.try_emplace(trial, 0).first->second;
  if (next == stopped) return true;
  const double oriented = sign_ * value;
  while (static_cast<std::size_t>(next) < rungs_.size() && step >= rungs_[static_cast<std::size_t>(next)].step) {
    if (std::isnan(oriented)) {
      next = stopped;
      return true;
    }
    OrderedValues& rung = rungs_[static_cast<std::size_t>(next)].values;
    rung.insert(oriented);
    const auto n = static_cast<std::int64_t>(rung.size());
    const auto may_beat = static_cast<std::size_t>(std::max<std::int64_t>(1, n / reduction_factor_) - 1);
    if (rung.count_less(oriented) > may_beat) {
      next = stopped;
      return true;
    }
    ++next;
  }
  return false;
}

void AshaRule::file(std::int64_t after, std::int64_t upto, double value) {
  for (auto& rung : rungs_)
    if (rung.step > after && rung.step <= upto) rung.values.insert(sign_ * value);
}

void AshaRule::finished(const TrialRecord& trial) { next_rung_.erase(trial.id); }

}  // namespace h5tune::stopping
