#include "strategy/gp/gp_model.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace h5tune::gp {
namespace {
// Floor of the posterior variance relative to the signal variance: rounding can make
// s2 - v'v slightly negative at training points.
constexpr double variance_floor = 1e-12;
}  // namespace

GpModel::GpModel(Eigen::Index dims, const Eigen::VectorXd& theta)
    : kernel_(theta), theta_(theta), X_(dims, 0), L_(0, 0) {}

void GpModel::reserve(Eigen::Index n) {
  if (n <= L_.rows()) return;
  const Eigen::Index cap = std::max<Eigen::Index>(16, std::max(n, 2 * L_.rows()));
  X_.conservativeResize(Eigen::NoChange, cap);
  Eigen::MatrixXd grown = Eigen::MatrixXd::Zero(cap, cap);
  grown.topLeftCorner(n_, n_) = L_.topLeftCorner(n_, n_);
  L_.swap(grown);
  y_.conservativeResize(cap);
}

bool GpModel::append_row(const Eigen::VectorXd& x) {
  reserve(n_ + 1);
  Eigen::VectorXd k = kernel_.cross(X_, n_, x.data());
  if (n_ > 0) L_.topLeftCorner(n_, n_).triangularView<Eigen::Lower>().solveInPlace(k);
  const double pivot = kernel_.signal() + kernel_.noise() - k.squaredNorm();
  if (!(pivot > 0.0) || !std::isfinite(pivot)) return false;
  L_.row(n_).head(n_) = k.transpose();
  L_(n_, n_) = std::sqrt(pivot);
  X_.col(n_) = x;
  ++n_;
  return true;
}

bool GpModel::add(const Eigen::VectorXd& x, double y) {
  if (!append_row(x)) return false;
  y_(n_ - 1) = y;
  n_real_ = n_;
  return true;
}

bool GpModel::assign(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  const Eigen::Index n = X.cols();
  Eigen::MatrixXd K(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = j; i < n; ++i) K(i, j) = kernel_(X.col(i).data(), X.col(j).data());
  K.diagonal().array() += kernel_.noise();
  Eigen::LLT<Eigen::MatrixXd, Eigen::Lower> llt(K);
  if (llt.info() != Eigen::Success) return false;
  n_ = 0;
  reserve(n);
  L_.topLeftCorner(n, n) = llt.matrixL();
  X_.leftCols(n) = X;
  y_.head(n) = y;
  n_ = n_real_ = n;
  return true;
}

void GpModel::retarget(const std::vector<double>& targets) {
  for (Eigen::Index i = 0; i < n_real_; ++i) y_(i) = targets[static_cast<std::size_t>(i)];
  standardize();
}

void GpModel::standardize() {
  const auto y = y_.head(n_real_);
  y_mean_ = n_real_ > 0 ? y.mean() : 0.0;
  const double var = n_real_ > 1 ? (y.array() - y_mean_).square().sum() / static_cast<double>(n_real_ - 1) : 0.0;
  y_std_ = var > 0.0 && std::isfinite(var) ? std::sqrt(var) : 1.0;
  best_ = n_real_ > 0 ? to_standard(y.minCoeff()) : 0.0;
  solve_alpha();
}

void GpModel::solve_alpha() {
  alpha_ = (y_.head(n_).array() - y_mean_) / y_std_;
  const auto L = L_.topLeftCorner(n_, n_);
  L.triangularView<Eigen::Lower>().solveInPlace(alpha_);
  L.transpose().triangularView<Eigen::Upper>().solveInPlace(alpha_);
}

bool GpModel::add_fantasy(const Eigen::VectorXd& x) {
  const double mean = kernel_.cross(X_, n_, x.data()).dot(alpha_);
  if (!append_row(x)) return false;
  y_(n_ - 1) = y_mean_ + y_std_ * mean;
  // The believer treats its fantasy as an observation, incumbent included: otherwise EI
  // still rewards points beside a pending one predicted to improve, and a batch repeats it.
  best_ = std::min(best_, mean);
  solve_alpha();
  return true;
}

void GpModel::predict(const Eigen::MatrixXd& C, Eigen::VectorXd& mean,
                      Eigen::VectorXd& variance) const {
  Eigen::MatrixXd Kc = kernel_.cross_matrix(X_, n_, C);
  mean = Kc.transpose() * alpha_;
  L_.topLeftCorner(n_, n_).triangularView<Eigen::Lower>().solveInPlace(Kc);
  variance = (kernel_.signal() - Kc.colwise().squaredNorm().transpose().array())
                 .max(variance_floor * kernel_.signal());
}

Posterior GpModel::predict_with_gradient(const Eigen::VectorXd& x) const {
  const Eigen::Index dims = kernel_.dims();
  const Eigen::VectorXd k = kernel_.cross(X_, n_, x.data());
  Eigen::MatrixXd dk(dims, n_);  // d k(x, x_i) / dx as columns
  for (Eigen::Index i = 0; i < n_; ++i) kernel_.gradient_x(x.data(), X_.col(i).data(), dk.col(i).data());
  const auto L = L_.topLeftCorner(n_, n_);
  Eigen::VectorXd v = L.triangularView<Eigen::Lower>().solve(k);
  Posterior p;
  p.mean = k.dot(alpha_);
  p.mean_gradient = dk * alpha_;
  const double var = kernel_.signal() - v.squaredNorm();
  if (var > variance_floor * kernel_.signal()) {
    p.variance = var;
    const Eigen::VectorXd w = L.transpose().triangularView<Eigen::Upper>().solve(v);  // K^-1 k
    p.variance_gradient = -2.0 * (dk * w);
  } else {
    p.variance = variance_floor * kernel_.signal();
    p.variance_gradient = Eigen::VectorXd::Zero(dims);
  }
  return p;
}

}  // namespace h5tune::gp
