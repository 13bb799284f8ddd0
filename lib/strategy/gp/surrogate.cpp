#include "strategy/gp/surrogate.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "strategy/gp/hyper_fit.hpp"
#include "strategy/gp/output_warp.hpp"

namespace h5tune::gp {
namespace {
constexpr double fit_growth = 1.15;
constexpr int fit_iterations = 50;
}  // namespace

Surrogate::Surrogate(Eigen::Index dims, std::size_t max_exact, std::size_t fit_points, bool warp)
    : dims_(dims), max_exact_(max_exact), fit_points_(fit_points), warp_(warp), theta_(default_hyper(dims)) {}

const std::vector<double>& Surrogate::targets() {
  if (!warp_) return y_;
  if (targets_.size() != y_.size()) targets_ = yeo_johnson_warp(y_);
  return targets_;
}

void Surrogate::add(const Eigen::VectorXd& x, double y) {
  X_.push_back(x);
  y_.push_back(y);
}

void Surrogate::restore(const Eigen::VectorXd& theta, std::size_t fitted_at) {
  theta_ = theta;
  fitted_at_ = fitted_at;
  exact_.reset();
}

bool Surrogate::fit_due() const noexcept {
  if (fitted_at_ == 0) return true;
  const double next = std::max(static_cast<double>(fitted_at_ + 1),
                               std::ceil(fit_growth * static_cast<double>(fitted_at_)));
  return static_cast<double>(size()) >= next;
}

void Surrogate::refit(Rng& rng) {
  const std::vector<double>& t = targets();
  std::vector<std::size_t> rows(size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  if (rows.size() > fit_points_) {
    std::vector<std::size_t> by_value = rows;
    std::stable_sort(by_value.begin(), by_value.end(),
                     [&](std::size_t a, std::size_t b) { return y_[a] < y_[b]; });
    const std::size_t best = fit_points_ / 2;
    std::vector<std::size_t> chosen(by_value.begin(), by_value.begin() + static_cast<std::ptrdiff_t>(best));
    const std::size_t rest = by_value.size() - best, want = fit_points_ - best;
    for (std::size_t k = 0; k < want; ++k) chosen.push_back(by_value[best + k * rest / want]);
    rows = std::move(chosen);
  }
  const auto n = static_cast<Eigen::Index>(rows.size());
  Eigen::MatrixXd X(dims_, n);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    X.col(i) = X_[rows[static_cast<std::size_t>(i)]];
    y(i) = t[rows[static_cast<std::size_t>(i)]];
  }
  const double mean = y.mean();
  const double sd = n > 1 ? std::sqrt((y.array() - mean).square().sum() / static_cast<double>(n - 1)) : 0.0;
  y = (y.array() - mean) / (sd > 0.0 && std::isfinite(sd) ? sd : 1.0);
  // One random start besides the warm one: a second changed no median regret of the
  // sample-efficiency suite (docs/strategies.md) and cost a third of the fit.
  constexpr int random_starts = 1;
  theta_ = fit_hyper(X, y, theta_, rng, random_starts, fit_iterations);
  fitted_at_ = size();
  exact_.reset();
}

GpModel Surrogate::build(const std::vector<std::size_t>& rows, bool blocked) {
  Eigen::VectorXd lower, upper;
  hyper_bounds(dims_, lower, upper);
  const Eigen::Index noise = Hyper::noise(dims_);
  const std::vector<double>& t = targets();
  while (true) {
    GpModel model(dims_, theta_);
    bool ok = true;
    if (blocked) {
      Eigen::MatrixXd X(dims_, static_cast<Eigen::Index>(rows.size()));
      Eigen::VectorXd y(X.cols());
      for (Eigen::Index i = 0; i < X.cols(); ++i) {
        X.col(i) = X_[rows[static_cast<std::size_t>(i)]];
        y(i) = t[rows[static_cast<std::size_t>(i)]];
      }
      ok = model.assign(X, y);
    } else {
      for (std::size_t r : rows)
        if (!(ok = model.add(X_[r], t[r]))) break;
    }
    if (ok || theta_(noise) >= upper(noise)) {
      model.standardize();
      return model;
    }
    theta_(noise) = std::min(theta_(noise) + std::log(10.0), upper(noise));
  }
}

std::vector<std::size_t> Surrogate::local_rows() const {
  const std::size_t incumbent =
      static_cast<std::size_t>(std::min_element(y_.begin(), y_.end()) - y_.begin());
  const Eigen::ArrayXd inv_l2 = (-2.0 * theta_.head(dims_).array()).exp();
  std::vector<double> dist(size());
  for (std::size_t i = 0; i < size(); ++i)
    dist[i] = ((X_[i] - X_[incumbent]).array().square() * inv_l2).sum();
  std::vector<std::size_t> rows(size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  std::nth_element(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(max_exact_), rows.end(),
                   [&](std::size_t a, std::size_t b) { return dist[a] < dist[b] || (dist[a] == dist[b] && a < b); });
  rows.resize(max_exact_);
  std::sort(rows.begin(), rows.end());  // factorize in observation order
  return rows;
}

GpModel Surrogate::model_for_pick(Rng& rng) {
  if (fit_due()) refit(rng);
  if (size() > max_exact_) return build(local_rows(), true);
  if (exact_ && exact_->theta() != theta_) exact_.reset();
  if (!exact_) {
    exact_ = build({}, false);
  }
  const std::vector<double>& t = targets();
  bool ok = true;
  for (auto r = static_cast<std::size_t>(exact_->size()); r < size(); ++r)
    if (!(ok = exact_->add(X_[r], t[r]))) break;
  if (!ok) {
    std::vector<std::size_t> rows(size());
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    exact_ = build(rows, false);  // raises the noise, same as a fresh build after a checkpoint load
  } else if (warp_) {
    exact_->retarget(t);  // a new value moves every warped one; the factor does not depend on them
  } else {
    exact_->standardize();
  }
  return *exact_;
}

std::vector<std::size_t> Surrogate::batch_rows(std::size_t max_points) const {
  const std::size_t n = size();
  std::vector<char> chosen(n, 0);
  std::vector<std::size_t> rows;
  const auto take = [&](std::size_t r) {
    if (!chosen[r]) {
      chosen[r] = 1;
      rows.push_back(r);
    }
  };
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::size_t third = max_points / 3;
  // The best values (ties by index, so the choice does not depend on the sort).
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(third), order.end(),
                    [&](std::size_t a, std::size_t b) { return y_[a] < y_[b] || (y_[a] == y_[b] && a < b); });
  for (std::size_t k = 0; k < third; ++k) take(order[k]);
  // The nearest to the incumbent (order[0]), by the length-scale-weighted distance.
  const Eigen::VectorXd& incumbent = X_[order[0]];
  const Eigen::ArrayXd inv_l2 = (-2.0 * theta_.head(dims_).array()).exp();
  std::vector<double> dist(n);
  for (std::size_t i = 0; i < n; ++i) dist[i] = ((X_[i] - incumbent).array().square() * inv_l2).sum();
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::size_t near = std::min(n, 2 * third);  // enough to find `third` not yet chosen
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(near), order.end(),
                    [&](std::size_t a, std::size_t b) { return dist[a] < dist[b] || (dist[a] == dist[b] && a < b); });
  for (std::size_t k = 0; k < near && rows.size() < 2 * third; ++k) take(order[k]);
  // An even stride through the rest.
  std::vector<std::size_t> rest;
  for (std::size_t i = 0; i < n; ++i)
    if (!chosen[i]) rest.push_back(i);
  const std::size_t want = std::min(rest.size(), max_points - rows.size());
  for (std::size_t k = 0; k < want; ++k) take(rest[k * rest.size() / want]);
  std::sort(rows.begin(), rows.end());
  return rows;
}

GpModel Surrogate::model_for_batch(Rng& rng, std::size_t max_points) {
  if (size() <= max_points) return model_for_pick(rng);
  if (fit_due()) refit(rng);
  return build(batch_rows(max_points), true);
}

std::vector<Eigen::VectorXd> Surrogate::best_inputs(std::size_t k) const {
  std::vector<std::size_t> rows(size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  k = std::min(k, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(k), rows.end(),
                    [&](std::size_t a, std::size_t b) { return y_[a] < y_[b] || (y_[a] == y_[b] && a < b); });
  std::vector<Eigen::VectorXd> out;
  for (std::size_t i = 0; i < k; ++i) out.push_back(X_[rows[i]]);
  return out;
}

}  // namespace h5tune::gp
