#include "strategy/gp/log_ei.hpp"

#include <cmath>
#include <numbers>

namespace h5tune::gp {
namespace {

constexpr double direct_threshold = -3.0;
// Enough terms for 1e-15 relative accuracy of the continued fraction at x >= 3.
constexpr int fraction_terms = 80;

// C(x) = x + 2 / (x + 3 / (x + 4 / ...)), evaluated backwards.
double continued_fraction(double x) noexcept {
  double tail = x;
  for (int k = fraction_terms; k >= 2; --k) tail = x + k / tail;
  return tail;
}

double log_phi(double x) noexcept { return -0.5 * x * x - 0.5 * std::log(2.0 * std::numbers::pi); }

double normal_cdf(double z) noexcept { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

double h_direct(double z) noexcept { return std::exp(log_phi(z)) + z * normal_cdf(z); }

}  // namespace

double log_h(double z) noexcept {
  if (z > direct_threshold) return std::log(h_direct(z));
  const double x = -z;
  const double c = continued_fraction(x);
  const double mills = 1.0 / (x + 1.0 / c);
  return log_phi(x) + std::log(mills) - std::log(c);
}

double log_h_derivative(double z) noexcept {
  if (z > direct_threshold) return normal_cdf(z) / h_direct(z);
  // Phi(z) / h(z) = phi R / (phi R / C) = C.
  return continued_fraction(-z);
}

double log_expected_improvement(double mu, double sigma, double best) noexcept {
  return std::log(sigma) + log_h((best - mu) / sigma);
}

}  // namespace h5tune::gp
