#include "strategy/gp/batch_pool.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "h5tune/error.hpp"
#include "strategy/gp/matern52.hpp"

namespace h5tune::gp {
namespace {
// Candidates scored per blocked solve: bounds the n x block kernel matrix of GpModel::predict.
constexpr Eigen::Index score_block = 512;
// Beyond this squared scaled distance the Matérn-5/2 correlation is below 0.005 and the
// penalty (1 - rho^2) below 3e-5 away from 1: skipped, which also saves the exp.
constexpr double penalty_cutoff_r2 = 16.0;
}  // namespace

void BatchPool::set_inputs(const PointCodec& codec, const Eigen::VectorXd& theta) {
  theta_ = theta;
  const Eigen::Index dims = codec.dims();
  inv_l_ = (-theta.head(dims).array()).exp();
  scaled_.resize(static_cast<Eigen::Index>(values_.size()), dims);
  for (std::size_t j = 0; j < values_.size(); ++j)
    scaled_.row(static_cast<Eigen::Index>(j)) = (codec.encode(values_[j]).array() * inv_l_).matrix().transpose();
}

void BatchPool::apply_penalty(Eigen::Index j) {
  const double r2 = nearest_r2_(j);
  if (!(r2 < penalty_cutoff_r2)) {
    sigma_(j) = sigma0_(j);
    return;
  }
  const double r = std::sqrt(r2);
  const double rho = (1.0 + sqrt5 * r + 5.0 / 3.0 * r2) * std::exp(-sqrt5 * r);
  sigma_(j) = sigma0_(j) * std::sqrt(std::max(0.0, 1.0 - rho * rho));
}

void BatchPool::assign(const GpModel& model, const PointCodec& codec, std::vector<std::vector<double>> points) {
  values_ = std::move(points);
  const auto m = static_cast<Eigen::Index>(values_.size());
  mean_.resize(m);
  sigma0_.resize(m);
  for (Eigen::Index first = 0; first < m; first += score_block) {
    const Eigen::Index count = std::min(score_block, m - first);
    Eigen::MatrixXd C(codec.dims(), count);
    for (Eigen::Index j = 0; j < count; ++j) C.col(j) = codec.encode(values_[static_cast<std::size_t>(first + j)]);
    Eigen::VectorXd mean, variance;
    model.predict(C, mean, variance);
    mean_.segment(first, count) = mean;
    sigma0_.segment(first, count) = variance.cwiseSqrt();
  }
  // A candidate the model cannot score is kept (it is a valid point) but comes last.
  for (Eigen::Index j = 0; j < m; ++j)
    if (!std::isfinite(mean_(j)) || !std::isfinite(sigma0_(j))) {
      mean_(j) = std::numeric_limits<double>::infinity();
      sigma0_(j) = 0.0;
    }
  sigma_ = sigma0_;
  nearest_r2_ = Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::infinity());
  taken_.assign(values_.size(), 0);
  set_inputs(codec, model.theta());
}

void BatchPool::penalize(const Eigen::VectorXd& x) {
  if (values_.empty()) return;
  penalize_scaled((x.array() * inv_l_).matrix());
}

void BatchPool::penalize_scaled(const Eigen::VectorXd& xs) {
  // One coordinate at a time over all candidates: contiguous, vectorized.
  Eigen::ArrayXd r2 = (scaled_.col(0).array() - xs(0)).square();
  for (Eigen::Index d = 1; d < scaled_.cols(); ++d) r2 += (scaled_.col(d).array() - xs(d)).square();
  for (Eigen::Index j = 0; j < r2.size(); ++j) {
    if (!(r2(j) < nearest_r2_(j))) continue;
    nearest_r2_(j) = r2(j);
    apply_penalty(j);
  }
}

std::optional<std::size_t> BatchPool::pick(double kappa,
                                           const std::function<bool(const std::vector<double>&)>& accept) {
  while (true) {
    // The first best wins ties; an unscorable candidate (mean +inf) only when nothing else is left.
    std::optional<std::size_t> best;
    double best_score = 0.0;
    for (std::size_t j = 0; j < taken_.size(); ++j) {
      if (taken_[j]) continue;
      const auto i = static_cast<Eigen::Index>(j);
      const double score = mean_(i) - kappa * sigma_(i);
      if (!best || score < best_score) {
        best = j;
        best_score = score;
      }
    }
    if (!best) return std::nullopt;
    taken_[*best] = 1;
    if (!accept(values_[*best])) continue;
    penalize_scaled(scaled_.row(static_cast<Eigen::Index>(*best)).transpose());
    return best;
  }
}

BatchPool::State BatchPool::state() const {
  State s;
  for (const auto& v : values_) s.values.insert(s.values.end(), v.begin(), v.end());
  s.mean.assign(mean_.begin(), mean_.end());
  s.sigma0.assign(sigma0_.begin(), sigma0_.end());
  s.nearest_r2.assign(nearest_r2_.begin(), nearest_r2_.end());
  s.taken = taken_;
  s.theta.assign(theta_.begin(), theta_.end());
  return s;
}

void BatchPool::restore(const State& s, const PointCodec& codec) {
  const std::size_t d = codec.space().size();
  const std::size_t m = s.mean.size();
  const bool empty_theta = s.theta.empty() && m == 0;
  if (s.values.size() != m * d || s.sigma0.size() != m || s.nearest_r2.size() != m || s.taken.size() != m ||
      (!empty_theta && s.theta.size() != static_cast<std::size_t>(codec.dims()) + 2))
    throw InputError("strategy checkpoint of 'gp' is corrupt: inconsistent batch pool sizes");
  values_.clear();
  for (std::size_t j = 0; j < m; ++j)
    values_.emplace_back(s.values.begin() + static_cast<std::ptrdiff_t>(j * d),
                         s.values.begin() + static_cast<std::ptrdiff_t>((j + 1) * d));
  const auto size = static_cast<Eigen::Index>(m);
  mean_ = Eigen::Map<const Eigen::VectorXd>(s.mean.data(), size);
  sigma0_ = Eigen::Map<const Eigen::VectorXd>(s.sigma0.data(), size);
  nearest_r2_ = Eigen::Map<const Eigen::ArrayXd>(s.nearest_r2.data(), size);
  taken_ = s.taken;
  if (empty_theta) {
    theta_.resize(0);
    inv_l_.resize(0);
    scaled_.resize(0, 0);
  } else {
    set_inputs(codec, Eigen::Map<const Eigen::VectorXd>(s.theta.data(), static_cast<Eigen::Index>(s.theta.size())));
  }
  sigma_ = sigma0_;
  for (Eigen::Index j = 0; j < size; ++j) apply_penalty(j);  // as computed when penalized
}

}  // namespace h5tune::gp
