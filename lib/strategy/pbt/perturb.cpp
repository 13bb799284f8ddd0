#include "strategy/pbt/perturb.hpp"

#include <algorithm>
#include <cmath>

namespace h5tune::pbt {
namespace {

double perturb_number(const Parameter& p, double value, bool up, const PerturbSettings& settings) {
  const double factor = up ? settings.up : settings.down;
  double moved = value * factor;
  if (p.kind == ParamKind::integer) {
    moved = std::round(moved);
    // Multiplying a small integer often rounds back to it: step one unit the way the
    // factor moves the value (for 0, the way the factor points).
    if (moved == value) {
      const double direction = value == 0.0 ? (up ? 1.0 : -1.0) : (value * factor > value ? 1.0 : -1.0);
      moved = value + direction;
      if (moved < p.low || moved > p.high) moved = value - direction;  // at a bound: the other way
    }
  }
  return std::clamp(moved, p.low, p.high);
}

double perturb_choice(const Parameter& p, double value, bool up) {
  const auto last = static_cast<double>(p.choices.size()) - 1.0;
  if (last < 1.0) return value;
  double moved = value + (up ? 1.0 : -1.0);
  if (moved < 0.0 || moved > last) moved = value + (up ? -1.0 : 1.0);  // the other neighbour
  return moved;
}

}  // namespace

std::vector<double> explore(const Space& space, const std::vector<double>& values,
                            const PerturbSettings& settings, Rng& rng) {
  std::vector<double> out = values;
  for (std::size_t j = 0; j < space.size() && j < out.size(); ++j) {
    const bool resample = uniform01(rng) < settings.resample_probability;
    const bool up = uniform01(rng) < 0.5;
    const Parameter& p = space[j];
    if (resample) out[j] = space.from_unit(j, uniform01(rng));
    else if (p.kind == ParamKind::categorical) out[j] = perturb_choice(p, out[j], up);
    else out[j] = perturb_number(p, out[j], up, settings);
  }
  return out;
}

std::vector<double> random_point(const Space& space, Rng& rng) {
  std::vector<double> v(space.size());
  for (std::size_t j = 0; j < v.size(); ++j) v[j] = space.from_unit(j, uniform01(rng));
  return v;
}

}  // namespace h5tune::pbt
