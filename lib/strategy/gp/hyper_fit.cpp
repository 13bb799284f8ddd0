#include "strategy/gp/hyper_fit.hpp"

#include <Eigen/Dense>
#include <LBFGSB.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "strategy/gp/matern52.hpp"

namespace h5tune::gp {

namespace {

/// The squared coordinate differences of every pair of inputs, (x_i - x_j)_d^2 for i > j,
/// one row per pair (column-major lower triangle order): they do not depend on theta, so a
/// fit computes them once and each likelihood evaluation is two matrix-vector products
/// (scaled distances, then the length-scale gradient) and one vectorized exp.
struct PairSquares {
  explicit PairSquares(const Eigen::MatrixXd& X) : n(X.cols()), squares(n * (n - 1) / 2, X.rows()) {
    Eigen::Index p = 0;
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = j + 1; i < n; ++i, ++p)
        squares.row(p) = (X.col(i) - X.col(j)).array().square().matrix().transpose();
  }
  Eigen::Index n;
  Eigen::MatrixXd squares;
};

double log_marginal_likelihood(const PairSquares& pairs, const Eigen::VectorXd& y,
                               const Eigen::VectorXd& theta, Eigen::VectorXd* grad) {
  const Eigen::Index n = pairs.n;
  const Eigen::Index dims = pairs.squares.cols();
  const Matern52 kernel(theta);
  const Eigen::VectorXd inv_l2 = (-2.0 * theta.head(dims).array()).exp().matrix();
  const Eigen::ArrayXd r2 = (pairs.squares * inv_l2).array();
  const Eigen::ArrayXd r = r2.sqrt();
  const Eigen::ArrayXd e = (-sqrt5 * r).exp();
  const Eigen::ArrayXd k = kernel.signal() * (1.0 + sqrt5 * r + 5.0 / 3.0 * r2) * e;

  Eigen::MatrixXd K(n, n);
  Eigen::Index p = 0;
  for (Eigen::Index j = 0; j < n; ++j) {
    K(j, j) = kernel.signal() + kernel.noise();
    for (Eigen::Index i = j + 1; i < n; ++i, ++p) K(i, j) = k(p);
  }
  const Eigen::LLT<Eigen::MatrixXd> llt(K);  // reads the lower triangle only
  if (llt.info() != Eigen::Success) return -std::numeric_limits<double>::infinity();
  const Eigen::VectorXd alpha = llt.solve(y);
  const double log_det = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  const double value = -0.5 * y.dot(alpha) - 0.5 * log_det -
                       0.5 * static_cast<double>(n) * std::log(2.0 * std::numbers::pi);
  if (grad) {
    Eigen::MatrixXd W = llt.solve(Eigen::MatrixXd::Identity(n, n));
    W = alpha * alpha.transpose() - W;
    // Off-diagonal pairs count twice (symmetry) times the 1/2 of the formula. With r the
    // scaled distance, dk/dr = -5/3 s2 r (1 + sqrt5 r) e^{-sqrt5 r} and dr/dlog l_d =
    // -(delta_d^2 / l_d^2) / r: the r cancels, so the gradient is finite at r = 0.
    Eigen::ArrayXd w(k.size());
    p = 0;
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = j + 1; i < n; ++i, ++p) w(p) = W(i, j);
    const Eigen::VectorXd common = (w * kernel.signal() * 5.0 / 3.0 * (1.0 + sqrt5 * r) * e).matrix();
    grad->setZero(Hyper::size(dims));
    grad->head(dims) = (pairs.squares.transpose() * common).cwiseProduct(inv_l2);
    (*grad)(Hyper::signal(dims)) = (w * k).sum() + 0.5 * W.diagonal().sum() * kernel.signal();
    (*grad)(Hyper::noise(dims)) = 0.5 * W.trace() * kernel.noise();
  }
  return value;
}

}  // namespace

double log_marginal_likelihood(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                               const Eigen::VectorXd& theta, Eigen::VectorXd* grad) {
  return log_marginal_likelihood(PairSquares(X), y, theta, grad);
}

namespace {

// log Gamma(shape, rate) density of p = exp(t), as a function of t, without the Jacobian
// (the MAP of the natural parameter, as GPyTorch computes it).
double gamma_log_density(double t, double shape, double rate, double& dt) {
  dt = (shape - 1.0) - rate * std::exp(t);
  return (shape - 1.0) * t - rate * std::exp(t);
}

}  // namespace

double log_prior(const Eigen::VectorXd& theta, Eigen::VectorXd* grad) {
  const Eigen::Index dims = theta.size() - 2;
  double value = 0.0, dt = 0.0;
  for (Eigen::Index d = 0; d < dims; ++d) {
    value += gamma_log_density(theta(d), 3.0, 6.0, dt);
    if (grad) (*grad)(d) += dt;
  }
  value += gamma_log_density(theta(Hyper::signal(dims)), 2.0, 0.15, dt);
  if (grad) (*grad)(Hyper::signal(dims)) += dt;
  value += gamma_log_density(theta(Hyper::noise(dims)), 1.1, 0.05, dt);
  if (grad) (*grad)(Hyper::noise(dims)) += dt;
  return value;
}

void hyper_bounds(Eigen::Index dims, Eigen::VectorXd& lower, Eigen::VectorXd& upper) {
  lower.resize(Hyper::size(dims));
  upper.resize(Hyper::size(dims));
  lower.head(dims).setConstant(std::log(0.01));
  upper.head(dims).setConstant(std::log(100.0));
  lower(Hyper::signal(dims)) = std::log(0.01);
  upper(Hyper::signal(dims)) = std::log(100.0);
  lower(Hyper::noise(dims)) = std::log(1e-6);
  upper(Hyper::noise(dims)) = 0.0;
}

Eigen::VectorXd default_hyper(Eigen::Index dims) {
  Eigen::VectorXd theta(Hyper::size(dims));
  theta.head(dims).setConstant(std::log(1.0 / 3.0));
  theta(Hyper::signal(dims)) = 0.0;
  theta(Hyper::noise(dims)) = std::log(1e-4);
  return theta;
}

Eigen::VectorXd fit_hyper(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                          const Eigen::VectorXd& warm, Rng& rng, int random_starts,
                          int max_iterations) {
  const Eigen::Index dims = X.rows();
  Eigen::VectorXd lower, upper;
  hyper_bounds(dims, lower, upper);

  // L-BFGS-B minimizes; remember the best point it ever evaluated, so a start whose line
  // search gives up (LBFGS++ throws) still counts.
  Eigen::VectorXd best = warm.cwiseMax(lower).cwiseMin(upper);
  double best_value = std::numeric_limits<double>::infinity();
  const PairSquares pairs(X);
  auto objective = [&](const Eigen::VectorXd& theta, Eigen::VectorXd& grad) {
    Eigen::VectorXd g;
    const double lml = log_marginal_likelihood(pairs, y, theta, &g);
    if (!std::isfinite(lml)) {
      grad.setZero(theta.size());
      return 1e300;
    }
    const double value = -(lml + log_prior(theta, &g));
    grad = -g;
    if (value < best_value) {
      best_value = value;
      best = theta;
    }
    return value;
  };

  LBFGSpp::LBFGSBParam<double> param;
  param.max_iterations = max_iterations;
  param.epsilon = 1e-5;
  param.max_linesearch = 30;
  LBFGSpp::LBFGSBSolver<double> solver(param);
  for (int start = 0; start <= random_starts; ++start) {
    Eigen::VectorXd theta = warm.cwiseMax(lower).cwiseMin(upper);
    if (start > 0)
      for (Eigen::Index j = 0; j < theta.size(); ++j)
        theta(j) = lower(j) + uniform01(rng) * (upper(j) - lower(j));
    double value = 0.0;
    try {
      solver.minimize(objective, theta, value, lower, upper);
    } catch (const std::exception&) {
      // Line search failure or a non-finite step: the best point seen is kept.
    }
  }
  return best;
}

}  // namespace h5tune::gp
