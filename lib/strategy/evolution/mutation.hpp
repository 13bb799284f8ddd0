#pragma once
#include <vector>

#include "h5tune/seed.hpp"
#include "h5tune/space.hpp"

namespace h5tune {

/// How a child differs from its parent (see docs/strategies.md, "evolution").
struct MutationSettings {
  double scale = 0.1;  ///< std of the Gaussian step of float/int parameters, in unit-cube units
  double rate = 0.0;   ///< probability each parameter mutates; 0 means 1/d
};

/// A mutated copy of `parent` (parameter values in Space order, inside the space). One
/// parameter chosen uniformly always mutates and every other one with probability
/// `rate`, so a child never equals its parent unless the space has no freedom left. Floats
/// (and log floats) take a Gaussian step of `scale` in the unit cube, reflected at its faces;
/// integers do the same and, when the step rounds back to the parent's value, move one unit
/// in the step's direction (away from a bound); categoricals switch to a different choice,
/// uniformly. The result is always inside the space.
std::vector<double> mutate(const Space& space, const std::vector<double>& parent,
                           const MutationSettings& settings, Rng& rng);

/// Uniform crossover (Syswerda 1989): each parameter from `a` or `b` with probability 1/2.
std::vector<double> uniform_crossover(const std::vector<double>& a, const std::vector<double>& b,
                                      Rng& rng);

/// `x` folded into [0, 1] by reflection at 0 and 1 (a step past a face comes back inside,
/// so the boundary gets no extra mass as clipping would give it).
double reflect_into_unit(double x) noexcept;

}  // namespace h5tune
