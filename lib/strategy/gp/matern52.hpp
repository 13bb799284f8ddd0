#pragma once
// The Matérn-5/2 kernel with one length scale per input dimension (ARD), the covariance
// function of the gp strategy's surrogate.
#include <Eigen/Core>

namespace h5tune::gp {

/// √5, the Matérn-5/2 kernel's constant (std::sqrt is not constexpr in C++20).
inline constexpr double sqrt5 = 2.23606797749978969640917366873128;

/// Kernel hyperparameters of a GP over `dims` inputs, packed in one vector (log scale, so
/// an unconstrained optimizer may move them): theta = [log l_1 .. log l_D, log s2, log noise]
/// with l_d the length scales, s2 the signal variance and noise the observation noise variance.
struct Hyper {
  static Eigen::Index size(Eigen::Index dims) { return dims + 2; }
  static Eigen::Index signal(Eigen::Index dims) { return dims; }
  static Eigen::Index noise(Eigen::Index dims) { return dims + 1; }
};

/// k(a, b) = s2 (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r), r^2 = sum_d (a_d - b_d)^2 / l_d^2.
/// Reference: Rasmussen and Williams, "Gaussian Processes for Machine Learning", 2006, eq. 4.17.
/// The noise variance is not part of k: the model adds it on the diagonal.
class Matern52 {
 public:
  explicit Matern52(const Eigen::VectorXd& theta);

  Eigen::Index dims() const noexcept { return inv_l2_.size(); }
  double signal() const noexcept { return s2_; }
  double noise() const noexcept { return noise_; }

  double operator()(const double* a, const double* b) const noexcept;
  /// k(x, X.col(i)) for every column of X.
  Eigen::VectorXd cross(const Eigen::MatrixXd& X, Eigen::Index n, const double* x) const;
  /// K(i, j) = k(X.col(i), C.col(j)) for the first n columns of X and every column of C.
  /// Vectorized over the n points per column of C: several times faster than n * m scalar
  /// calls when a whole candidate set is scored.
  Eigen::MatrixXd cross_matrix(const Eigen::MatrixXd& X, Eigen::Index n, const Eigen::MatrixXd& C) const;
  /// d k(a, b) / d theta_j for the D + 1 kernel entries of theta (length scales, signal).
  Eigen::VectorXd gradient_hyper(const double* a, const double* b) const;
  /// d k(x, b) / d x (D entries), for gradient polishing of the acquisition.
  Eigen::VectorXd gradient_x(const double* x, const double* b) const;
  /// The same into out[0 .. D-1], without allocating (called once per observation).
  void gradient_x(const double* x, const double* b, double* out) const noexcept;

  /// Adds `weight` * d k(a, b) / d theta_j to grad(j) for the D + 1 kernel entries, without
  /// allocating: the marginal-likelihood gradient calls it for every pair of points.
  void accumulate_gradient_hyper(const double* a, const double* b, double weight,
                                 Eigen::VectorXd& grad) const noexcept;

 private:
  Eigen::VectorXd inv_l2_;  ///< 1 / l_d^2
  double s2_;
  double noise_;
};

}  // namespace h5tune::gp
