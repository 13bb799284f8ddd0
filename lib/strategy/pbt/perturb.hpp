#pragma once
// PBT's explore step: new hyperparameters near a copied member's.
#include <vector>

#include "h5tune/seed.hpp"
#include "h5tune/space.hpp"

namespace h5tune::pbt {

/// How explore() moves each parameter (docs/strategies.md, "pbt").
struct PerturbSettings {
  double resample_probability = 0.25;  ///< chance a parameter is drawn afresh from its range
  double down = 0.8;                   ///< the two multiplicative factors, chosen 50/50
  double up = 1.2;
};

/// A perturbed copy of `values` (parameter values in Space order, inside the space), as in
/// Jaderberg et al. 2017 and Ray Tune's PopulationBasedTraining: each parameter is, with
/// probability `resample_probability`, drawn uniformly from its range (log-uniformly for a
/// log parameter, as a random strategy would); otherwise a float is multiplied by `down` or
/// `up` (50/50) and clamped to its bounds; an integer the same, rounded to the nearest
/// integer, and moved one unit in the factor's direction (the other way at a bound) when
/// rounding gives the old value back (so 1 * 1.2 becomes 2, not 1); a categorical moves to a neighbouring
/// choice in list order (the other neighbour at either end). The result is always inside
/// the space. Exactly two draws per parameter plus one per resampled parameter.
std::vector<double> explore(const Space& space, const std::vector<double>& values,
                            const PerturbSettings& settings, Rng& rng);

/// A point drawn uniformly from the space (one draw per parameter).
std::vector<double> random_point(const Space& space, Rng& rng);

}  // namespace h5tune::pbt
