#include "strategy/gp/output_warp.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace h5tune::gp {
namespace {

double yeo_johnson(double z, double lambda) {
  if (z >= 0.0)
    return std::abs(lambda) < 1e-12 ? std::log1p(z) : (std::pow(z + 1.0, lambda) - 1.0) / lambda;
  return std::abs(lambda - 2.0) < 1e-12 ? -std::log1p(-z) : -(std::pow(1.0 - z, 2.0 - lambda) - 1.0) / (2.0 - lambda);
}

double variance(const std::vector<double>& v) {
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double sum = 0.0;
  for (double x : v) sum += (x - mean) * (x - mean);
  return sum / static_cast<double>(v.size());
}

/// The profile log-likelihood of lambda (the normal's mean and variance at their optimum).
double log_likelihood(const std::vector<double>& z, double lambda, double log_jacobian_sum, std::vector<double>& work) {
  for (std::size_t i = 0; i < z.size(); ++i) work[i] = yeo_johnson(z[i], lambda);
  const double var = variance(work);
  if (!(var > 0.0) || !std::isfinite(var)) return -std::numeric_limits<double>::infinity();
  return -0.5 * static_cast<double>(z.size()) * std::log(var) + (lambda - 1.0) * log_jacobian_sum;
}

}  // namespace

std::vector<double> yeo_johnson_warp(const std::vector<double>& values) {
  if (values.size() < 3) return values;
  const double var = variance(values);
  if (!(var > 0.0) || !std::isfinite(var)) return values;
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  const double sd = std::sqrt(var);
  std::vector<double> z(values.size()), work(values.size());
  double log_jacobian_sum = 0.0;  // sum of sign(z) log(1 + |z|): d psi / dz = (1 + |z|)^(sign(z)(lambda - 1))
  for (std::size_t i = 0; i < values.size(); ++i) {
    z[i] = (values[i] - mean) / sd;
    log_jacobian_sum += std::copysign(std::log1p(std::abs(z[i])), z[i]);
  }
  // A grid, then golden-section search around its best point: the likelihood is smooth and
  // unimodal in practice, and the grid guards against the exceptions.
  constexpr int grid = 16;
  constexpr double lo = -2.0, hi = 2.0, step = (hi - lo) / grid;
  double best_lambda = 1.0, best = log_likelihood(z, 1.0, log_jacobian_sum, work);
  for (int k = 0; k <= grid; ++k) {
    const double lambda = lo + step * k;
    const double ll = log_likelihood(z, lambda, log_jacobian_sum, work);
    if (ll > best) best = ll, best_lambda = lambda;
  }
  double a = std::max(lo, best_lambda - step), b = std::min(hi, best_lambda + step);
  const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
  for (int it = 0; it < 20; ++it) {
    const double c = b - ratio * (b - a), d = a + ratio * (b - a);
    if (log_likelihood(z, c, log_jacobian_sum, work) > log_likelihood(z, d, log_jacobian_sum, work)) b = d;
    else a = c;
  }
  const double refined = 0.5 * (a + b);
  if (log_likelihood(z, refined, log_jacobian_sum, work) > best) best_lambda = refined;
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = yeo_johnson(z[i], best_lambda);
  return z;
}

}  // namespace h5tune::gp
