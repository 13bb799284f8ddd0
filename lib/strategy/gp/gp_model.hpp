#pragma once
// Exact GP regression with an incrementally grown Cholesky factor.
#include <Eigen/Core>

#include "strategy/gp/matern52.hpp"

namespace h5tune::gp {

/// Posterior of the latent function at one point, in standardized units, with gradients.
struct Posterior {
  double mean = 0.0;
  double variance = 0.0;
  Eigen::VectorXd mean_gradient;      ///< d mean / dx (only from predict_with_gradient)
  Eigen::VectorXd variance_gradient;  ///< d variance / dx
};

/// A zero-mean GP with the Matérn-5/2 ARD kernel on standardized targets (y - mean) / std.
///
/// Keeps the lower Cholesky factor L of K + noise I and grows it by one row per observation
/// (forward substitution, O(n^2)), as limbo's incremental add_sample does. A full build is the
/// same sequence of row appends, so a model rebuilt from its data (after a checkpoint load) is
/// bit-identical to one grown observation by observation. Storage grows geometrically.
/// Reference: Rasmussen and Williams, "Gaussian Processes for Machine Learning", 2006, alg. 2.1.
class GpModel {
 public:
  GpModel(Eigen::Index dims, const Eigen::VectorXd& theta);

  Eigen::Index dims() const noexcept { return kernel_.dims(); }
  Eigen::Index size() const noexcept { return n_; }
  const Eigen::VectorXd& theta() const noexcept { return theta_; }
  const Matern52& kernel() const noexcept { return kernel_; }

  /// Appends observation (x, y), y in the caller's units (smaller is better). Returns false,
  /// leaving the model unchanged, when the new pivot is not positive (numerically a duplicate
  /// with too little noise): the caller raises the noise and rebuilds. Call standardize()
  /// after a series of add()s.
  bool add(const Eigen::VectorXd& x, double y);
  /// Replaces all observations by the columns of X and y, factorized at once by blocked
  /// Cholesky (faster than n add()s, not bit-identical to them). False as add().
  bool assign(const Eigen::MatrixXd& X, const Eigen::VectorXd& y);
  /// Recomputes the target standardization (over every observation so far) and K^-1 y.
  void standardize();
  /// Replaces the targets of the real observations (targets[i] for the i-th added) and
  /// standardizes: the Cholesky factor depends on the inputs alone, so this is O(n^2).
  void retarget(const std::vector<double>& targets);
  /// Kriging believer: appends a fantasy observation at x whose value is the posterior mean
  /// there, so the mean is unchanged everywhere and the variance shrinks near x, and the
  /// incumbent becomes that mean if it is lower (Ginsbourger, Le Riche and Carraro 2010).
  /// The standardization stays that of the real observations. False as add().
  bool add_fantasy(const Eigen::VectorXd& x);

  /// Smallest standardized target among the real observations and the fantasies (the EI
  /// incumbent).
  double best() const noexcept { return best_; }
  /// Standardized value of y.
  double to_standard(double y) const noexcept { return (y - y_mean_) / y_std_; }

  /// Mean and variance at each column of C (columns-as-points), by one blocked triangular solve.
  void predict(const Eigen::MatrixXd& C, Eigen::VectorXd& mean, Eigen::VectorXd& variance) const;
  /// Mean, variance and their gradients at x.
  Posterior predict_with_gradient(const Eigen::VectorXd& x) const;

  const Eigen::MatrixXd& inputs() const noexcept { return X_; }  ///< first size() columns used

 private:
  bool append_row(const Eigen::VectorXd& x);
  void reserve(Eigen::Index n);
  void solve_alpha();

  Matern52 kernel_;
  Eigen::VectorXd theta_;
  Eigen::Index n_ = 0;
  Eigen::Index n_real_ = 0;  ///< observations before the first fantasy
  Eigen::MatrixXd X_;        ///< inputs as columns (capacity >= n_)
  Eigen::MatrixXd L_;        ///< lower Cholesky factor in the top-left n_ x n_ block
  Eigen::VectorXd y_;        ///< targets in caller units (fantasies included)
  Eigen::VectorXd alpha_;    ///< (K + noise I)^-1 standardized y
  double y_mean_ = 0.0;
  double y_std_ = 1.0;
  double best_ = 0.0;
};

}  // namespace h5tune::gp
