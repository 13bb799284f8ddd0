#include "strategy/cmaes/cma_distribution.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

#include "h5tune/error.hpp"
#include "strategy/evolution/standard_normal.hpp"

namespace h5tune {
namespace {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;
using MatrixMap = Eigen::Map<Matrix>;
using VectorMap = Eigen::Map<Vector>;
using ConstMatrixMap = Eigen::Map<const Matrix>;
using ConstVectorMap = Eigen::Map<const Vector>;

// Floor of C's eigenvalues relative to the largest: keeps C positive definite (and B D
// invertible) when rounding drives a small eigenvalue to zero or below.
constexpr double min_relative_eigenvalue = 1e-20;

}  // namespace

CmaDistribution::CmaDistribution(std::vector<double> mean, double sigma, std::size_t lambda)
    : lambda_(lambda), sigma_(sigma), mean_(std::move(mean)) {
  const std::size_t n = mean_.size();
  ps_.assign(n, 0.0);
  pc_.assign(n, 0.0);
  c_.assign(n * n, 0.0);
  b_.assign(n * n, 0.0);
  d_.assign(n, 1.0);
  for (std::size_t i = 0; i < n; ++i) c_[i * n + i] = b_[i * n + i] = 1.0;
  configure();
}

void CmaDistribution::configure() {
  if (mean_.empty()) return;  // the empty distribution of a space without such parameters
  const double n = static_cast<double>(mean_.size());
  const std::size_t lambda = static_cast<std::size_t>(lambda_);
  mu_ = std::max<std::size_t>(1, lambda / 2);
  // Tutorial eq. 49: raw weights, positive for the better half, negative for the rest.
  weights_.resize(lambda);
  for (std::size_t i = 0; i < lambda; ++i)
    weights_[i] = std::log((static_cast<double>(lambda) + 1.0) / 2.0) - std::log(static_cast<double>(i + 1));
  double pos = 0.0, pos_sq = 0.0, neg = 0.0, neg_sq = 0.0;
  for (std::size_t i = 0; i < lambda; ++i) {
    const double w = weights_[i];
    if (i < mu_) {
      pos += w;
      pos_sq += w * w;
    } else {
      neg += w;
      neg_sq += w * w;
    }
  }
  mueff_ = pos * pos / pos_sq;
  const double mueff_minus = neg_sq > 0.0 ? neg * neg / neg_sq : 0.0;
  cc_ = (4.0 + mueff_ / n) / (n + 4.0 + 2.0 * mueff_ / n);
  cs_ = (mueff_ + 2.0) / (n + mueff_ + 5.0);
  c1_ = 2.0 / ((n + 1.3) * (n + 1.3) + mueff_);
  cmu_ = std::min(1.0 - c1_, 2.0 * (mueff_ - 2.0 + 1.0 / mueff_) / ((n + 2.0) * (n + 2.0) + mueff_));
  damps_ = 1.0 + 2.0 * std::max(0.0, std::sqrt((mueff_ - 1.0) / (n + 1.0)) - 1.0) + cs_;
  chi_n_ = std::sqrt(n) * (1.0 - 1.0 / (4.0 * n) + 1.0 / (21.0 * n * n));
  // Eqs. 50-53: the positive weights sum to 1; the negative ones to -alpha, the largest
  // amount that keeps the decay of C bounded (alpha_mu), the variance reduction moderate
  // (alpha_mueff) and C positive definite (alpha_posdef). With cmu = 0 (lambda = 2 or 3)
  // there is no rank-mu update and the negative weights have no effect.
  double alpha = 0.0;
  if (cmu_ > 0.0 && neg < 0.0)
    alpha = std::min({1.0 + c1_ / cmu_, 1.0 + 2.0 * mueff_minus / (mueff_ + 2.0), (1.0 - c1_ - cmu_) / (n * cmu_)});
  weight_sum_ = 0.0;
  for (std::size_t i = 0; i < lambda; ++i) {
    weights_[i] = i < mu_ ? weights_[i] / pos : (neg < 0.0 ? alpha * weights_[i] / -neg : 0.0);
    weight_sum_ += weights_[i];
  }
}

void CmaDistribution::check_consistent() const {
  const std::size_t n = mean_.size();
  if (lambda_ < 2 || !(sigma_ > 0.0) || ps_.size() != n || pc_.size() != n || d_.size() != n ||
      c_.size() != n * n || b_.size() != n * n)
    throw InputError("strategy checkpoint of 'cmaes': the search distribution is corrupt");
}

std::vector<double> CmaDistribution::sample(Rng& rng) const {
  const auto n = static_cast<Eigen::Index>(mean_.size());
  Vector z(n);
  for (Eigen::Index i = 0; i < n; ++i) z[i] = standard_normal(rng);
  const Vector x = ConstVectorMap(mean_.data(), n) +
                   sigma_ * (ConstMatrixMap(b_.data(), n, n) * ConstVectorMap(d_.data(), n).cwiseProduct(z));
  return {x.data(), x.data() + n};
}

void CmaDistribution::update(const std::vector<std::vector<double>>& best_first) {
  const auto n = static_cast<Eigen::Index>(mean_.size());
  const auto lambda = static_cast<Eigen::Index>(weights_.size());
  const auto mu = static_cast<Eigen::Index>(mu_);
  if (static_cast<Eigen::Index>(best_first.size()) != lambda)
    throw Error("CMA-ES update needs the generation's lambda points");
  VectorMap m(mean_.data(), n), ps(ps_.data(), n), pc(pc_.data(), n);
  MatrixMap c(c_.data(), n, n);
  const ConstMatrixMap b(b_.data(), n, n);
  const ConstVectorMap d(d_.data(), n);
  const ConstVectorMap w(weights_.data(), lambda);

  // Steps of the points from the old mean, in units of sigma (eq. 38), and their images
  // in the coordinates where the distribution is isotropic: C^{-1/2} y = B D^{-1} B^T y.
  Matrix y(n, lambda);
  for (Eigen::Index k = 0; k < lambda; ++k)
    y.col(k) = (ConstVectorMap(best_first[static_cast<std::size_t>(k)].data(), n) - m) / sigma_;
  const Matrix inv_sqrt_c_y = b * d.cwiseInverse().asDiagonal() * (b.transpose() * y);
  // Selection and recombination (eqs. 39-41): only the mu best move the mean.
  const Vector yw = y.leftCols(mu) * w.head(mu);
  m += sigma_ * yw;

  // Step-size path (eq. 43).
  const Vector inv_sqrt_c_yw = inv_sqrt_c_y.leftCols(mu) * w.head(mu);
  ps = (1.0 - cs_) * ps + std::sqrt(cs_ * (2.0 - cs_) * mueff_) * inv_sqrt_c_yw;
  ++generation_;
  const double ps_norm = ps.norm();
  const double correction = std::sqrt(1.0 - std::pow(1.0 - cs_, 2.0 * static_cast<double>(generation_)));
  const double nd = static_cast<double>(n);
  const bool hsig = ps_norm / correction / chi_n_ < 1.4 + 2.0 / (nd + 1.0);
  // Covariance path (eq. 45), stalled while ||ps|| is large so C does not grow too fast.
  pc = (1.0 - cc_) * pc + (hsig ? std::sqrt(cc_ * (2.0 - cc_) * mueff_) : 0.0) * yw;

  // Eq. 46: a negative weight is rescaled by n / |C^{-1/2} y_i|^2, so that a point far
  // out along a long axis cannot remove more than its share of variance.
  Vector w_circ = w;
  for (Eigen::Index k = mu; k < lambda; ++k)
    if (w[k] < 0.0) w_circ[k] = w[k] * nd / std::max(inv_sqrt_c_y.col(k).squaredNorm(), 1e-300);
  // Eq. 47, with delta(h_sigma) = (1 - h_sigma) cc (2 - cc).
  const double delta_h = hsig ? 0.0 : cc_ * (2.0 - cc_);
  c = (1.0 + c1_ * delta_h - c1_ - cmu_ * weight_sum_) * c + c1_ * pc * pc.transpose() +
      cmu_ * y * w_circ.asDiagonal() * y.transpose();
  // Eq. 44.
  sigma_ *= std::exp(std::min(1.0, (cs_ / damps_) * (ps_norm / chi_n_ - 1.0)));
  decompose();
}

void CmaDistribution::floor_coordinate_std(std::size_t i, double min_std) {
  const std::size_t n = mean_.size();
  const double min_var = (min_std / sigma_) * (min_std / sigma_);
  if (c_[i * n + i] >= min_var) return;
  c_[i * n + i] = min_var;
  decompose();
}

void CmaDistribution::decompose() {
  const auto n = static_cast<Eigen::Index>(mean_.size());
  MatrixMap c(c_.data(), n, n);
  const Matrix symmetric = 0.5 * (c + c.transpose());  // a + b == b + a: exactly symmetric
  c = symmetric;
  const Eigen::SelfAdjointEigenSolver<Matrix> eigen(c);
  Vector values = eigen.eigenvalues();
  const double floor = std::max(values.maxCoeff(), 0.0) * min_relative_eigenvalue;
  const bool raised = (values.array() < floor).any() || !(values.array() > 0.0).all();
  values = values.cwiseMax(floor > 0.0 ? floor : 1e-300);
  MatrixMap(b_.data(), n, n) = eigen.eigenvectors();
  VectorMap(d_.data(), n) = values.cwiseSqrt();
  if (raised) {
    // Rebuild C from the repaired spectrum so that C, B and D agree.
    const Matrix rebuilt = eigen.eigenvectors() * values.asDiagonal() * eigen.eigenvectors().transpose();
    c = 0.5 * (rebuilt + rebuilt.transpose());
  }
}

}  // namespace h5tune
