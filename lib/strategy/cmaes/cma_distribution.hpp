#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <boost/serialization/vector.hpp>

#include "h5tune/seed.hpp"

namespace h5tune {

/// The search distribution N(m, sigma^2 C) of CMA-ES over R^n and its update from one ranked
/// generation, as in N. Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772
/// (2016), with the tutorial's default parameters (its Table 1, eqs. 48-58), active
/// covariance update included: all lambda points get a weight, from
/// w'_i = ln((lambda + 1)/2) - ln i; the mu = floor(lambda/2) best (positive w'_i) are scaled
/// to sum 1 and move the mean; the worse ones (negative w'_i) are scaled to sum
/// -min(1 + c1/cmu, 1 + 2 mueff^-/(mueff + 2), (1 - c1 - cmu)/(n cmu)) and take variance
/// out of C along their directions, each rescaled by n / |C^{-1/2} y_i|^2 (eq. 46) so that C
/// stays positive definite. Rates: cumulation cc = (4 + mueff/n) / (n + 4 + 2 mueff/n),
/// cs = (mueff + 2) / (n + mueff + 5), rank-one c1 = 2 / ((n + 1.3)^2 + mueff), rank-mu
/// cmu = min(1 - c1, 2 (mueff - 2 + 1/mueff) / ((n + 2)^2 + mueff)), damping
/// ds = 1 + 2 max(0, sqrt((mueff - 1)/(n + 1)) - 1) + cs, learning rate 1 for the mean. These
/// are also the defaults of the `cmaes` package behind Optuna's CmaEsSampler. The change of
/// log sigma per generation is capped at 1 (as pycma does).
///
/// C is kept exactly symmetric (averaged with its transpose after each update) and positive
/// definite (eigenvalues below 1e-20 of the largest are raised to it), and its eigen
/// decomposition C = B diag(D^2) B^T is refreshed after every update: the dimensions of
/// hyperparameter searches are small, so the O(n^3) cost is negligible next to a trial.
///
/// Matrices are stored column-major in std::vector so the state serializes as raw arrays and
/// this header does not expose Eigen.
class CmaDistribution {
 public:
  CmaDistribution() = default;
  /// Starts at `mean` with step size `sigma`, C = I, zero evolution paths.
  CmaDistribution(std::vector<double> mean, double sigma, std::size_t lambda);

  std::size_t dimension() const noexcept { return mean_.size(); }
  std::size_t lambda() const noexcept { return static_cast<std::size_t>(lambda_); }
  std::size_t mu() const noexcept { return mu_; }
  double sigma() const noexcept { return sigma_; }
  std::uint64_t generation() const noexcept { return generation_; }
  const std::vector<double>& mean() const noexcept { return mean_; }
  const std::vector<double>& covariance() const noexcept { return c_; }  ///< n x n, column-major
  const std::vector<double>& axis_lengths() const noexcept { return d_; }  ///< D: sqrt of C's eigenvalues
  const std::vector<double>& evolution_path() const noexcept { return pc_; }

  /// m + sigma B D z with z ~ N(0, I) from `rng` (n normal draws).
  std::vector<double> sample(Rng& rng) const;

  /// One update from the generation's lambda points, best first.
  void update(const std::vector<std::vector<double>>& best_first);

  /// Raises the std of coordinate i to at least `min_std` by adding to C_ii (which keeps C
  /// positive definite), then refreshes the eigen decomposition. For integer coordinates.
  void floor_coordinate_std(std::size_t i, double min_std);

  template <class Archive>
  void serialize(Archive& ar, unsigned /*version*/) {
    ar & lambda_ & generation_ & sigma_ & mean_ & ps_ & pc_ & c_ & b_ & d_;
    if (Archive::is_loading::value) configure();
  }

  /// Throws InputError when a loaded state's arrays do not fit together.
  void check_consistent() const;

 private:
  /// The learning rates and weights, which depend on n and lambda only.
  void configure();
  /// Symmetrizes C, then refreshes B and D (raising tiny or negative eigenvalues).
  void decompose();

  std::uint64_t lambda_ = 0;
  std::uint64_t generation_ = 0;
  double sigma_ = 0.0;
  std::vector<double> mean_, ps_, pc_;
  std::vector<double> c_, b_, d_;

  // Derived from (n, lambda) by configure(): not serialized.
  std::vector<double> weights_;  ///< lambda weights, best first: mu positive, then <= 0
  std::size_t mu_ = 0;
  double weight_sum_ = 0.0;  ///< sum of all lambda weights (1 minus the negative part)
  double mueff_ = 0.0, cc_ = 0.0, cs_ = 0.0, c1_ = 0.0, cmu_ = 0.0, damps_ = 0.0, chi_n_ = 0.0;
};

}  // namespace h5tune
