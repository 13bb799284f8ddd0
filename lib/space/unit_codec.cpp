// The map between parameter values and the unit cube (Optuna-style widened ranges).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "h5tune/space.hpp"

namespace h5tune {
namespace {

// Clamp to [0, 1]; NaN becomes 0 so that a broken strategy still yields a valid value.
double clamp_unit(double u) noexcept {
  if (!(u >= 0.0)) return 0.0;
  return u > 1.0 ? 1.0 : u;
}

double clamp_value(const Parameter& p, double v) noexcept { return std::clamp(v, p.low, p.high); }

// An integer v owns [v-0.5, v+0.5] of the widened range (in log space for log integers),
// so uniform u gives every integer the same probability (log: proportional to its slice).
double int_from_unit(const Parameter& p, double u) noexcept {
  if (!p.log) {
    const double n = p.high - p.low + 1.0;
    return clamp_value(p, p.low + std::floor(u * n));
  }
  const double a = std::log(p.low - 0.5);
  const double b = std::log(p.high + 0.5);
  return clamp_value(p, std::round(std::exp(std::lerp(a, b, u))));
}

double int_to_unit(const Parameter& p, double v) noexcept {
  if (!p.log) return (v - p.low + 0.5) / (p.high - p.low + 1.0);
  const double a = std::log(p.low - 0.5);
  const double b = std::log(p.high + 0.5);
  // The centre of v's slice in log space.
  const double centre = 0.5 * (std::log(v - 0.5) + std::log(v + 0.5));
  return (centre - a) / (b - a);
}

void check_size(std::size_t expected, std::size_t got) {
  if (expected != got)
    throw Error(fmt::format("a point of this space has {} coordinates, got {}", expected, got));
}

}  // namespace

double Space::from_unit(std::size_t i, double u) const {
  const Parameter& p = params_.at(i);
  u = clamp_unit(u);
  switch (p.kind) {
    case ParamKind::real:
      if (p.log) return clamp_value(p, std::exp(std::lerp(std::log(p.low), std::log(p.high), u)));
      return clamp_value(p, std::lerp(p.low, p.high, u));
    case ParamKind::integer:
      return int_from_unit(p, u);
    case ParamKind::categorical: {
      const double n = static_cast<double>(p.choices.size());
      return std::min(std::floor(u * n), n - 1.0);
    }
  }
  return p.low;
}

double Space::to_unit(std::size_t i, double value) const {
  const Parameter& p = params_.at(i);
  const double v = clamp_value(p, value);
  double u = 0.0;
  switch (p.kind) {
    case ParamKind::real:
      u = p.log ? (std::log(v) - std::log(p.low)) / (std::log(p.high) - std::log(p.low))
                : (v - p.low) / (p.high - p.low);
      break;
    case ParamKind::integer:
      u = int_to_unit(p, std::round(v));
      break;
    case ParamKind::categorical:
      u = (std::floor(v) + 0.5) / static_cast<double>(p.choices.size());
      break;
  }
  return clamp_unit(u);
}

std::vector<double> Space::from_unit(std::span<const double> unit) const {
  check_size(params_.size(), unit.size());
  std::vector<double> values(params_.size());
  for (std::size_t i = 0; i < params_.size(); ++i) values[i] = from_unit(i, unit[i]);
  return values;
}

std::vector<double> Space::to_unit(std::span<const double> values) const {
  check_size(params_.size(), values.size());
  std::vector<double> unit(params_.size());
  for (std::size_t i = 0; i < params_.size(); ++i) unit[i] = to_unit(i, values[i]);
  return unit;
}

}  // namespace h5tune
