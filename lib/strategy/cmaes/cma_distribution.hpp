#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <boost/serialization/vector.hpp>

#include "h5tune/seed.hpp"

namespace h5tune {

/// The search distribution N(m, sigma^2 C) of CMA-ES over R^n and its update from one ranked
/// generation, as in N. Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772
/// (2016), with the tutorial's default parameters: mu = floor(lambda / 2) positive
/// log-weights w_i ~ ln(mu + 1/2) - ln i, cumulation cc = (4 + mueff/n) / (n + 4 + 2 mueff/n),
/// cs = (mueff + 2) / (n + mueff + 5), rank-one c1 = 2 / ((n + 1.3)^2 + mueff), rank-mu
/// cmu = min(1 - c1, 2 (mueff - 2 + 1/mueff) / ((n + 2)^2 + mueff)), damping
/// ds = 1 + 2 max(0, sqrt((mueff - 1)/(n + 1)) - 1) + cs, learning rate 1 for the mean. The
/// change of log sigma per generation is capped at 1 (as pycma does).
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
  std::size_t mu() const noexcept { return weights_.size(); }
  double sigma() const noexcept { return sigma_; }
  std::uint64_t generation() const noexcept { return generation_; }
  const std::vector<double>& mean() const noexcept { return mean_; }
  const std::vector<double>& covariance() const noexcept { return c_; }  ///< n x n, column-major
  const std::vector<double>& axis_lengths() const noexcept { return d_; }  ///< D: sqrt of C's eigenvalues
  const std::vector<double>& evolution_path() const noexcept { return pc_; }

  /// m + sigma B D z with z ~ N(0, I) from `rng` (n normal draws).
  std::vector<double> sample(Rng& rng) const;

  /// One update from the generation's points, best first (at least mu of them; only the
  /// best mu are used).
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
  std::vector<double> weights_;
  double mueff_ = 0.0, cc_ = 0.0, cs_ = 0.0, c1_ = 0.0, cmu_ = 0.0, damps_ = 0.0, chi_n_ = 0.0;
};

}  // namespace h5tune
