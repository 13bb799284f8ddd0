#include "strategy/gp/hyper_fit.hpp"

#include <Eigen/Dense>
#include <LBFGSB.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "strategy/gp/matern52.hpp"

namespace h5tune::gp {

double log_marginal_likelihood(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                               const Eigen::VectorXd& theta, Eigen::VectorXd* grad) {
  const Eigen::Index n = X.cols();
  const Eigen::Index dims = X.rows();
  const Matern52 kernel(theta);
  Eigen::MatrixXd K(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = j; i < n; ++i) K(i, j) = kernel(X.col(i).data(), X.col(j).data());
  K.diagonal().array() += kernel.noise();
  const Eigen::LLT<Eigen::MatrixXd> llt(K);  // reads the lower triangle only
  if (llt.info() != Eigen::Success) return -std::numeric_limits<double>::infinity();
  const Eigen::VectorXd alpha = llt.solve(y);
  const double log_det = 2.0 * llt.matrixL().toDenseMatrix().diagonal().array().log().sum();
  const double value = -0.5 * y.dot(alpha) - 0.5 * log_det -
                       0.5 * static_cast<double>(n) * std::log(2.0 * std::numbers::pi);
  if (grad) {
    Eigen::MatrixXd W = llt.solve(Eigen::MatrixXd::Identity(n, n));
    W = alpha * alpha.transpose() - W;
    grad->setZero(Hyper::size(dims));
    for (Eigen::Index j = 0; j < n; ++j) {
      // Off-diagonal pairs count twice (symmetry) times the 1/2 of the formula.
      for (Eigen::Index i = j + 1; i < n; ++i)
        kernel.accumulate_gradient_hyper(X.col(i).data(), X.col(j).data(), W(i, j), *grad);
      (*grad)(Hyper::signal(dims)) += 0.5 * W(j, j) * kernel.signal();
    }
    (*grad)(Hyper::noise(dims)) = 0.5 * W.trace() * kernel.noise();
  }
  return value;
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
  auto objective = [&](const Eigen::VectorXd& theta, Eigen::VectorXd& grad) {
    Eigen::VectorXd g;
    const double lml = log_marginal_likelihood(X, y, theta, &g);
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
