#include "strategy/grid_axes.hpp"

#include <algorithm>
#include <cmath>

namespace h5tune {
namespace {

// Point k of `count` evenly spaced points from low to high (in log space if asked), with
// both ends exact.
double spaced(const Parameter& p, std::size_t k, std::size_t count) {
  if (k == 0) return p.low;
  if (k + 1 == count) return p.high;
  const double t = static_cast<double>(k) / static_cast<double>(count - 1);
  const double x = p.log ? std::exp(std::lerp(std::log(p.low), std::log(p.high), t))
                         : std::lerp(p.low, p.high, t);
  return std::clamp(x, p.low, p.high);
}

std::vector<double> int_axis(const Parameter& p, std::size_t points_per_axis) {
  const std::size_t n = p.cardinality();
  std::vector<double> axis;
  if (n <= points_per_axis) {
    for (std::size_t k = 0; k < n; ++k) axis.push_back(p.low + static_cast<double>(k));
    return axis;
  }
  // Rounding can merge neighbours (log spacing is dense at the low end): push each value
  // at least one above its predecessor, then cap value k at high - (count-1-k). The minimum
  // of two strictly increasing integer sequences is strictly increasing, and n > count
  // keeps every value inside [low, high].
  const std::size_t count = points_per_axis;
  double previous = p.low - 1.0;
  for (std::size_t k = 0; k < count; ++k) {
    const double forward = std::max(std::round(spaced(p, k, count)), previous + 1.0);
    const double cap = p.high - static_cast<double>(count - 1 - k);
    axis.push_back(std::min(forward, cap));
    previous = forward;
  }
  return axis;
}

}  // namespace

std::vector<std::vector<double>> grid_axes(const Space& space, std::size_t points_per_axis) {
  std::vector<std::vector<double>> axes;
  axes.reserve(space.size());
  for (const Parameter& p : space.parameters()) {
    std::vector<double> axis;
    switch (p.kind) {
      case ParamKind::categorical:
        for (std::size_t c = 0; c < p.choices.size(); ++c) axis.push_back(static_cast<double>(c));
        break;
      case ParamKind::integer:
        axis = int_axis(p, points_per_axis);
        break;
      case ParamKind::real:
        for (std::size_t k = 0; k < points_per_axis; ++k) axis.push_back(spaced(p, k, points_per_axis));
        break;
    }
    axes.push_back(std::move(axis));
  }
  return axes;
}

}  // namespace h5tune
