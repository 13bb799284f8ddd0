#include "strategy/evolution/mutation.hpp"

#include <cmath>
#include <cstddef>

#include "h5tune/seed.hpp"
#include "strategy/evolution/standard_normal.hpp"

namespace h5tune {
namespace {

double mutate_parameter(const Space& space, std::size_t j, double value, double scale, Rng& rng) {
  const Parameter& p = space[j];
  if (p.kind == ParamKind::categorical) {
    const std::size_t k = p.choices.size();
    if (k < 2) return value;
    // A different choice, uniformly among the k - 1 others.
    const auto current = static_cast<std::size_t>(value);
    const std::size_t r = uniform_index(k - 1, rng);
    return static_cast<double>(r >= current ? r + 1 : r);
  }
  const double step = scale * standard_normal(rng);
  const double moved = space.from_unit(j, reflect_into_unit(space.to_unit(j, value) + step));
  if (p.kind == ParamKind::real || moved != value) return moved;
  // A small step on a short integer range often rounds back to the parent: take one unit
  // in the step's direction instead (the other way at a bound), so the mutation is real.
  const double unit = step >= 0.0 ? 1.0 : -1.0;
  const double next = value + unit;
  return next >= p.low && next <= p.high ? next : value - unit;
}

}  // namespace

double reflect_into_unit(double x) noexcept {
  if (!std::isfinite(x)) return 0.5;
  x = std::fmod(std::fabs(x), 2.0);
  return x > 1.0 ? 2.0 - x : x;
}

std::vector<double> mutate(const Space& space, const std::vector<double>& parent,
                           const MutationSettings& settings, Rng& rng) {
  std::vector<double> child = parent;
  const std::size_t d = space.size();
  if (d == 0) return child;
  const double rate = settings.rate > 0.0 ? settings.rate : 1.0 / static_cast<double>(d);
  const std::size_t forced = uniform_index(d, rng);
  for (std::size_t j = 0; j < d; ++j) {
    const bool chosen = uniform01(rng) < rate;  // drawn for every j: a fixed draw count
    if (j == forced || chosen) child[j] = mutate_parameter(space, j, child[j], settings.scale, rng);
  }
  return child;
}

std::vector<double> uniform_crossover(const std::vector<double>& a, const std::vector<double>& b,
                                      Rng& rng) {
  std::vector<double> child = a;
  for (std::size_t j = 0; j < child.size() && j < b.size(); ++j)
    if (uniform01(rng) < 0.5) child[j] = b[j];
  return child;
}

}  // namespace h5tune
