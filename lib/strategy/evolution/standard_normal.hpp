#pragma once
// Gaussian draws for the evolutionary strategies (evolution, cmaes), from the strategy's own
// generator only: std::normal_distribution is not specified bit for bit across standard
// libraries, so a checkpointed run would not replay identically elsewhere.
#include <cmath>
#include <numbers>

#include "h5tune/seed.hpp"

namespace h5tune {

/// One N(0, 1) draw by the Box-Muller transform (Box and Muller, Ann. Math. Statist. 29,
/// 1958) from exactly two uniform draws. The second normal of the pair is dropped so the
/// generator is the whole state: nothing cached to checkpoint.
inline double standard_normal(Rng& rng) noexcept {
  const double u1 = 1.0 - uniform01(rng);  // (0, 1]: log stays finite
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace h5tune
