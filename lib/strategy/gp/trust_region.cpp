#include "strategy/gp/trust_region.hpp"

#include <algorithm>
#include <cmath>

namespace h5tune::gp {

double trust_region_length(const std::vector<double>& values, std::size_t design, const TrustRegionRule& rule) {
  double length = rule.initial;
  if (values.empty()) return length;
  design = std::clamp<std::size_t>(design, 1, values.size());
  double best = *std::min_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(design));
  std::size_t successes = 0, failures = 0;
  for (std::size_t i = design; i < values.size(); ++i) {
    if (values[i] < best - 1e-3 * std::abs(best)) {
      ++successes;
      failures = 0;
    } else {
      ++failures;
      successes = 0;
    }
    best = std::min(best, values[i]);
    if (successes == rule.success_tolerance) {
      length = std::min(2.0 * length, rule.max_length);
      successes = 0;
    } else if (failures == rule.failure_tolerance) {
      length /= 2.0;
      failures = 0;
      if (length < rule.min_length) length = rule.initial;
    }
  }
  return length;
}

SearchBox trust_region_box(const PointCodec& codec, const Eigen::VectorXd& center, const Eigen::VectorXd& theta,
                           double length) {
  const Eigen::Index dims = codec.dims();
  SearchBox box{Eigen::VectorXd::Zero(dims), Eigen::VectorXd::Ones(dims)};
  double log_sum = 0.0;
  int count = 0;
  for (Eigen::Index c = 0; c < dims; ++c)
    if (codec.continuous()[static_cast<std::size_t>(c)]) {
      log_sum += theta(c);
      ++count;
    }
  if (count == 0) return box;
  const double log_mean = log_sum / count;
  for (Eigen::Index c = 0; c < dims; ++c) {
    if (!codec.continuous()[static_cast<std::size_t>(c)]) continue;
    const double half = 0.5 * length * std::exp(theta(c) - log_mean);
    box.lower(c) = std::clamp(center(c) - half, 0.0, 1.0);
    box.upper(c) = std::clamp(center(c) + half, 0.0, 1.0);
  }
  return box;
}

}  // namespace h5tune::gp
