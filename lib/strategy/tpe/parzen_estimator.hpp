#pragma once
#include <cstddef>
#include <span>
#include <vector>

#include "h5tune/seed.hpp"
#include "strategy/tpe/tpe_axis.hpp"

namespace h5tune::tpe {

/// Settings shared by every estimator of one TPE strategy (Optuna's defaults).
struct ParzenSettings {
  double prior_weight = 1.0;  ///< weight of the prior component (uniform-ish kernel)
  bool multivariate = false;  ///< one bandwidth rule for a joint kernel (Falkner et al. 2018)
  /// true: continuous kernels are normalized densities, exp(-z^2/2) / (sigma sqrt(2 pi) Z)
  /// (Optuna >= 3.5). false: the -log(sigma) term is left out, exp(-z^2/2) / (sqrt(2 pi) Z),
  /// as Optuna 3.1 scores candidates (optuna/optuna#5109): a narrow kernel is then no taller
  /// than a wide one, so l(x)/g(x) is not dominated by the few narrowest kernels. The
  /// estimator's default is the true density; TpeStrategy's default is false (Optuna 3.1).
  bool normalized = true;
  /// Factor on the neighbour-gap bandwidths (not on the multivariate rule's): 1 is Optuna's
  /// univariate rule; a joint kernel over several axes with gap bandwidths (TpeStrategy's
  /// interleaved joint suggestions) uses a wider one, see TpeStrategy.
  double gap_factor = 1.0;
};

/// A Parzen estimator (kernel density mixture) over some axes, as in Optuna's
/// _ParzenEstimator: one component per observation plus a prior component, weighted by
/// default_weights() in observation order (or by the weights given) and prior_weight for
/// the prior.
///
/// Per axis and component:
/// - continuous and discrete axes: a normal truncated to [0, 1] centred on the observation.
///   Univariate bandwidth: the larger gap to the neighbouring centres (the prior's centre
///   0.5 included; the outermost centres use their inner gap, consider_endpoints = false).
///   Several axes with `multivariate` false get each axis's gaps times `gap_factor`.
///   Multivariate bandwidth: 0.2 n^(-1/(d+4)) (Scott's rule as in BOHB). Both clipped to
///   [1/min(100, n+2), 1] ("magic clip": Optuna divides by 1 + the number of components,
///   the prior included). Prior: centre 0.5, sigma 1.
///   A discrete axis evaluates the mass of its value's slice (Optuna's step handling).
///   With `normalized` false a continuous kernel's log density lacks -log(sigma) (Optuna
///   3.1); log_pdf is then a score, not a density, and sampling is unchanged.
/// - categorical axes: the observed choice gets 1 + v, the others v, normalized, with
///   v = prior_weight / (n + 1); the prior component is uniform.
/// The density of a point is the weighted sum over components of the product over axes
/// (one axis per estimator gives independent TPE). Reference: Watanabe, "Tree-structured
/// Parzen estimator: understanding its algorithm components", 2023.
///
/// Cost: O(n log n) to build; O(count * n * axes) to evaluate, with the per-component
/// constants precomputed; discrete and categorical axes are evaluated once per distinct
/// value.
class ParzenEstimator {
 public:
  /// `columns[a]` holds the coordinate of every observation on `axes[a]`, in the order the
  /// weights follow (oldest first). `weights`: one positive weight per observation in that
  /// order; empty gives default_weights() (Optuna's). Throws std::invalid_argument if the
  /// count differs.
  ParzenEstimator(std::span<const Axis> axes, std::span<const std::vector<double>> columns,
                  const ParzenSettings& settings, std::vector<double> weights = {});

  std::size_t dims() const noexcept { return dims_.size(); }
  std::size_t components() const noexcept { return log_weights_.size(); }
  /// Normalized component weights, the prior last.
  std::vector<double> weights() const;
  /// Centre and bandwidth of component k on a continuous or discrete axis a.
  double mu(std::size_t a, std::size_t k) const { return dims_[a].mu[k]; }
  double sigma(std::size_t a, std::size_t k) const { return dims_[a].sigma[k]; }

  /// `count` points drawn from the mixture, row-major (count x dims()): per point, one
  /// uniform draw picks the component, then one draw per axis in order.
  std::vector<double> sample(Rng& rng, std::size_t count) const;
  /// Log density of `count` row-major points (the mixture's log-sum-exp) into `out`.
  void log_pdf(std::span<const double> points, std::size_t count, std::span<double> out) const;

 private:
  struct AxisKernels {
    Axis axis;
    std::vector<double> mu, sigma, inv_sigma;
    std::vector<double> log_norm;   ///< continuous: log(sigma sqrt(2 pi) Z) (normalized) or
                                    ///< log(sqrt(2 pi) Z); discrete: log Z
    std::vector<int> choice;        ///< categorical: observed index, -1 for the prior
    double log_hit = 0.0, log_miss = 0.0, log_uniform = 0.0;
  };


  std::vector<AxisKernels> dims_;
  std::vector<double> log_weights_;
  std::vector<double> cumulative_;  ///< running sum of the normalized weights
};

}  // namespace h5tune::tpe
