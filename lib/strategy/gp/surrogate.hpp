#pragma once
// The gp strategy's model of the objective: observations, hyperparameter schedule, and the
// GP used for the next pick (exact, or local beyond max_exact observations).
#include <Eigen/Core>

#include <cstddef>
#include <optional>
#include <vector>

#include "h5tune/seed.hpp"
#include "strategy/gp/gp_model.hpp"

namespace h5tune::gp {

/// Observations (GP inputs, values where smaller is better) and the GP built on them.
///
/// Hyperparameter schedule: refit (fit_hyper, warm-started from the last optimum, plus one
/// random start) when the number of observations n reaches max(n_fit + 1, 1.15 n_fit), n_fit
/// being the count at the last fit: every observation up to n = 7, then geometrically rarer
/// (23 fits up to n = 100, 39 up to 1000, 51 up to 5000). A fit uses at most `fit_points` observations: the
/// best half and an even stride through the rest. Between fits the exact model grows its
/// Cholesky factor by one row per observation.
///
/// Beyond `max_exact` observations the model for a pick is local, as TuRBO's trust region
/// (Eriksson et al., "Scalable global optimization via local Bayesian optimization", NeurIPS
/// 2019): the `max_exact` observations nearest to the incumbent (the best value) in the
/// length-scale-weighted distance, factorized afresh (blocked Cholesky) for each pick,
/// O(max_exact^3).
///
/// When a pivot of the factor is not positive (a near-duplicate input with too little noise)
/// the noise variance is multiplied by 10 and the model is rebuilt.
class Surrogate {
 public:
  /// `warp`: the GP models yeo_johnson_warp() of the values (output_warp.hpp), refitted to
  /// every observation, instead of the values themselves.
  Surrogate(Eigen::Index dims, std::size_t max_exact, std::size_t fit_points, bool warp = false);

  /// A surrogate with the same settings and no observations.
  Surrogate empty_copy() const { return Surrogate(dims_, max_exact_, fit_points_, warp_); }

  void add(const Eigen::VectorXd& x, double y);
  std::size_t size() const noexcept { return y_.size(); }
  const std::vector<Eigen::VectorXd>& inputs() const noexcept { return X_; }
  const std::vector<double>& values() const noexcept { return y_; }

  /// Refits if due, brings the model up to date, and returns a copy the caller may extend
  /// with fantasies. Needs size() >= 1.
  GpModel model_for_pick(Rng& rng);

  /// The model of the gp strategy's batch mode: refits if due (same schedule), then the
  /// model_for_pick() model while size() <= `max_points`, else a GP on a subset of
  /// `max_points` observations factorized afresh (blocked Cholesky, O(max_points^3)): a third
  /// the best values, a third the nearest to the incumbent in the length-scale-weighted
  /// distance (the local model's rule), the rest an even stride through the others in
  /// observation order, so the mean far from the incumbent still knows where it is bad.
  GpModel model_for_batch(Rng& rng, std::size_t max_points);

  /// Inputs of the `k` best observations, best first (anchors of the candidate search).
  std::vector<Eigen::VectorXd> best_inputs(std::size_t k) const;

  /// Checkpoint state: the last hyperparameters and the count at the last fit (0: never).
  const Eigen::VectorXd& theta() const noexcept { return theta_; }
  std::size_t fitted_at() const noexcept { return fitted_at_; }
  void restore(const Eigen::VectorXd& theta, std::size_t fitted_at);

 private:
  bool fit_due() const noexcept;
  void refit(Rng& rng);
  /// A GP on the observations `rows`, raising the noise until the factor exists; `blocked`
  /// factorizes at once (the local model, rebuilt for every pick) instead of row by row
  /// (the exact model, which must match its incrementally grown self after a load).
  GpModel build(const std::vector<std::size_t>& rows, bool blocked);
  std::vector<std::size_t> local_rows() const;
  std::vector<std::size_t> batch_rows(std::size_t max_points) const;
  /// What the GP models for each observation: the values, or their warp.
  const std::vector<double>& targets();

  Eigen::Index dims_;
  std::size_t max_exact_;
  std::size_t fit_points_;
  std::vector<Eigen::VectorXd> X_;
  std::vector<double> y_;
  bool warp_ = false;
  std::vector<double> targets_;  ///< targets() of the first targets_.size() observations
  Eigen::VectorXd theta_;
  std::size_t fitted_at_ = 0;
  std::optional<GpModel> exact_;  ///< the exact model's cache (rows = first observations)
};

}  // namespace h5tune::gp
