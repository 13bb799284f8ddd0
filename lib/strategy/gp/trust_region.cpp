#include "strategy/gp/trust_region.hpp"

#include <algorithm>
#include <cmath>

namespace h5tune::gp {
namespace {

// The parameter of GP input `c`.
std::size_t parameter_of(const PointCodec& codec, Eigen::Index c) {
  std::size_t i = 0;
  while (i + 1 < codec.space().size() && codec.offset(i + 1) <= c) ++i;
  return i;
}

// How far an integer's neighbours' slice centres lie from its own centre `u` (the farther
// of the two; 0 for a float): a box at least this wide around `u` can step to either.
double integer_step(const PointCodec& codec, Eigen::Index c, double u) {
  const Space& space = codec.space();
  const std::size_t i = parameter_of(codec, c);
  const Parameter& p = space[i];
  if (p.kind != ParamKind::integer) return 0.0;
  const double value = space.from_unit(i, u);
  double step = 0.0;
  if (value > p.low) step = std::max(step, u - space.to_unit(i, value - 1.0));
  if (value < p.high) step = std::max(step, space.to_unit(i, value + 1.0) - u);
  return step;
}

// The box of half-width half(c) around `center` on each float/int coordinate (at least an
// integer's step), clipped to the cube; categorical coordinates stay whole.
template <typename HalfWidth>
SearchBox box_around(const PointCodec& codec, const Eigen::VectorXd& center, HalfWidth half) {
  const Eigen::Index dims = codec.dims();
  SearchBox box{Eigen::VectorXd::Zero(dims), Eigen::VectorXd::Ones(dims)};
  for (Eigen::Index c = 0; c < dims; ++c) {
    if (!codec.continuous()[static_cast<std::size_t>(c)]) continue;
    const double h = std::max(half(c), integer_step(codec, c, center(c)));
    box.lower(c) = std::clamp(center(c) - h, 0.0, 1.0);
    box.upper(c) = std::clamp(center(c) + h, 0.0, 1.0);
  }
  return box;
}

}  // namespace

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
  double log_sum = 0.0;
  int count = 0;
  for (Eigen::Index c = 0; c < codec.dims(); ++c)
    if (codec.continuous()[static_cast<std::size_t>(c)]) {
      log_sum += theta(c);
      ++count;
    }
  const double log_mean = count > 0 ? log_sum / count : 0.0;
  return box_around(codec, center, [&](Eigen::Index c) { return 0.5 * length * std::exp(theta(c) - log_mean); });
}

SearchBox search_box(const PointCodec& codec, const Eigen::VectorXd& center, double side) {
  return box_around(codec, center, [&](Eigen::Index) { return 0.5 * side; });
}

std::size_t results_since_improvement(const std::vector<double>& values) {
  std::size_t last = 0;
  for (std::size_t i = 1; i < values.size(); ++i)
    if (values[i] < values[last]) last = i;
  return values.empty() ? 0 : values.size() - 1 - last;
}

}  // namespace h5tune::gp
