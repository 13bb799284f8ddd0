#include "strategy/gp/matern52.hpp"

#include <cmath>

namespace h5tune::gp {

Matern52::Matern52(const Eigen::VectorXd& theta)
    : inv_l2_((-2.0 * theta.head(theta.size() - 2).array()).exp().matrix()),
      s2_(std::exp(theta(theta.size() - 2))),
      noise_(std::exp(theta(theta.size() - 1))) {}

double Matern52::operator()(const double* a, const double* b) const noexcept {
  double r2 = 0.0;
  for (Eigen::Index d = 0; d < inv_l2_.size(); ++d) {
    const double delta = a[d] - b[d];
    r2 += delta * delta * inv_l2_(d);
  }
  const double r = std::sqrt(r2);
  return s2_ * (1.0 + sqrt5 * r + 5.0 / 3.0 * r2) * std::exp(-sqrt5 * r);
}

Eigen::VectorXd Matern52::cross(const Eigen::MatrixXd& X, Eigen::Index n, const double* x) const {
  Eigen::VectorXd k(n);
  for (Eigen::Index i = 0; i < n; ++i) k(i) = (*this)(X.col(i).data(), x);
  return k;
}

Eigen::MatrixXd Matern52::cross_matrix(const Eigen::MatrixXd& X, Eigen::Index n,
                                       const Eigen::MatrixXd& C) const {
  // Scaled inputs with the points along columns of At, so each candidate's distances to
  // all points are D vectorized passes over contiguous memory: no GEMM packing for small D,
  // and no |a|^2 + |b|^2 - 2ab cancellation near coincident points.
  const Eigen::VectorXd inv_l = inv_l2_.cwiseSqrt();
  const Eigen::MatrixXd At = (inv_l.asDiagonal() * X.leftCols(n)).transpose();
  const Eigen::MatrixXd B = inv_l.asDiagonal() * C;
  Eigen::MatrixXd K(n, C.cols());
  Eigen::ArrayXd r2(n), r(n);
  for (Eigen::Index j = 0; j < C.cols(); ++j) {
    r2.setZero();
    for (Eigen::Index d = 0; d < dims(); ++d) r2 += (At.col(d).array() - B(d, j)).square();
    r = r2.sqrt();
    K.col(j) = (s2_ * (1.0 + sqrt5 * r + 5.0 / 3.0 * r2) * (-sqrt5 * r).exp()).matrix();
  }
  return K;
}

// With r the scaled distance, dk/dr = -5/3 s2 r (1 + sqrt5 r) e^{-sqrt5 r} and
// dr/dlog l_d = -(delta_d^2 / l_d^2) / r: the r cancels, so the gradient is finite at r = 0.
void Matern52::accumulate_gradient_hyper(const double* a, const double* b, double weight,
                                         Eigen::VectorXd& grad) const noexcept {
  const Eigen::Index dims = inv_l2_.size();
  double r2 = 0.0;
  for (Eigen::Index d = 0; d < dims; ++d) {
    const double delta = a[d] - b[d];
    r2 += delta * delta * inv_l2_(d);
  }
  const double r = std::sqrt(r2);
  const double e = std::exp(-sqrt5 * r);
  const double common = weight * s2_ * 5.0 / 3.0 * (1.0 + sqrt5 * r) * e;
  for (Eigen::Index d = 0; d < dims; ++d) {
    const double delta = a[d] - b[d];
    grad(d) += common * delta * delta * inv_l2_(d);
  }
  grad(dims) += weight * s2_ * (1.0 + sqrt5 * r + 5.0 / 3.0 * r2) * e;  // d/dlog s2 = k
}

Eigen::VectorXd Matern52::gradient_hyper(const double* a, const double* b) const {
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(inv_l2_.size() + 1);
  accumulate_gradient_hyper(a, b, 1.0, grad);
  return grad;
}

Eigen::VectorXd Matern52::gradient_x(const double* x, const double* b) const {
  Eigen::VectorXd grad(inv_l2_.size());
  gradient_x(x, b, grad.data());
  return grad;
}

void Matern52::gradient_x(const double* x, const double* b, double* out) const noexcept {
  const Eigen::Index dims = inv_l2_.size();
  double r2 = 0.0;
  for (Eigen::Index d = 0; d < dims; ++d) {
    const double delta = x[d] - b[d];
    r2 += delta * delta * inv_l2_(d);
  }
  const double r = std::sqrt(r2);
  const double common = -s2_ * 5.0 / 3.0 * (1.0 + sqrt5 * r) * std::exp(-sqrt5 * r);
  for (Eigen::Index d = 0; d < dims; ++d) out[d] = common * (x[d] - b[d]) * inv_l2_(d);
}

}  // namespace h5tune::gp
