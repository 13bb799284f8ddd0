#include "strategy/tpe/parzen_estimator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "strategy/tpe/tpe_split.hpp"
#include "strategy/tpe/truncated_normal.hpp"

namespace h5tune::tpe {
namespace {

constexpr double neg_inf = -std::numeric_limits<double>::infinity();
constexpr double sigma0_magnitude = 0.2;  // Optuna's SIGMA0_MAGNITUDE

// Univariate bandwidths: for each centre (the prior's included) the larger distance to its
// sorted neighbours, with 0 and 1 as virtual neighbours except at the outermost centres
// (Optuna's consider_endpoints = false).
std::vector<double> neighbour_gaps(const std::vector<double>& mus) {
  const std::size_t m = mus.size();
  // (centre, index) pairs: ties fall back to the index, so the order is total.
  std::vector<std::pair<double, std::size_t>> order(m);
  for (std::size_t i = 0; i < m; ++i) order[i] = {mus[i], i};
  std::sort(order.begin(), order.end());
  std::vector<double> sorted(m + 2);
  sorted[0] = 0.0;
  for (std::size_t i = 0; i < m; ++i) sorted[i + 1] = order[i].first;
  sorted[m + 1] = 1.0;
  std::vector<double> sigmas(m);
  for (std::size_t i = 0; i < m; ++i) {
    double gap = std::max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
    if (m >= 2 && i == 0) gap = sorted[2] - sorted[1];
    if (m >= 2 && i == m - 1) gap = sorted[m] - sorted[m - 1];
    sigmas[order[i].second] = gap;
  }
  return sigmas;
}

}  // namespace

ParzenEstimator::ParzenEstimator(std::span<const Axis> axes,
                                 std::span<const std::vector<double>> columns,
                                 const ParzenSettings& settings, std::vector<double> weights) {
  const std::size_t n = columns.empty() ? 0 : columns.front().size();
  const std::size_t m = n + 1;  // the prior is component n

  if (weights.empty()) weights = default_weights(n);
  if (weights.size() != n)
    throw std::invalid_argument(
        fmt::format("Parzen estimator: {} weights for {} observations", weights.size(), n));
  std::vector<double> w = std::move(weights);
  w.push_back(settings.prior_weight);
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  log_weights_.resize(m);
  cumulative_.resize(m);
  double running = 0.0;
  for (std::size_t k = 0; k < m; ++k) {
    w[k] /= total;
    log_weights_[k] = std::log(w[k]);
    running += w[k];
    cumulative_[k] = running;
  }

  const double min_sigma = 1.0 / std::min(100.0, static_cast<double>(m) + 1.0);
  const double sigma0 = sigma0_magnitude * std::pow(static_cast<double>(std::max<std::size_t>(n, 1)),
                                                    -1.0 / (static_cast<double>(axes.size()) + 4.0));
  const double log_sqrt_2pi = 0.5 * std::log(2.0 * std::numbers::pi);

  dims_.resize(axes.size());
  for (std::size_t a = 0; a < axes.size(); ++a) {
    AxisKernels& d = dims_[a];
    d.axis = axes[a];
    const std::vector<double>& obs = columns[a];
    if (d.axis.kind == AxisKind::categorical) {
      const double c = static_cast<double>(d.axis.choices);
      const double v = settings.prior_weight / static_cast<double>(m);
      d.log_hit = std::log((1.0 + v) / (1.0 + c * v));
      d.log_miss = std::log(v / (1.0 + c * v));
      d.log_uniform = -std::log(c);
      d.choice.resize(m);
      for (std::size_t k = 0; k < n; ++k) d.choice[k] = static_cast<int>(obs[k]);
      d.choice[n] = -1;
      continue;
    }
    d.mu = obs;
    d.mu.push_back(0.5);
    if (settings.multivariate) {
      d.sigma.assign(m, sigma0);
    } else {
      d.sigma = neighbour_gaps(d.mu);
      for (double& s : d.sigma) s *= settings.gap_factor;
    }
    for (double& s : d.sigma) s = std::clamp(s, min_sigma, 1.0);
    d.sigma[n] = 1.0;
    d.inv_sigma.resize(m);
    d.log_norm.resize(m);
    for (std::size_t k = 0; k < m; ++k) {
      d.inv_sigma[k] = 1.0 / d.sigma[k];
      const double log_mass = log_gauss_mass(-d.mu[k] * d.inv_sigma[k], (1.0 - d.mu[k]) * d.inv_sigma[k]);
      // Optuna 3.1 (normalized = false) leaves out log(sigma): see ParzenSettings.
      const double log_scale = settings.normalized ? std::log(d.sigma[k]) : 0.0;
      d.log_norm[k] = d.axis.kind == AxisKind::discrete ? log_mass : log_mass + log_scale + log_sqrt_2pi;
    }
  }
}

std::vector<double> ParzenEstimator::weights() const {
  std::vector<double> w(log_weights_.size());
  std::transform(log_weights_.begin(), log_weights_.end(), w.begin(), [](double l) { return std::exp(l); });
  return w;
}

std::vector<double> ParzenEstimator::sample(Rng& rng, std::size_t count) const {
  const std::size_t d = dims_.size();
  std::vector<double> points(count * d);
  for (std::size_t i = 0; i < count; ++i) {
    const double u = uniform01(rng) * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
    const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_.begin()),
                                                cumulative_.size() - 1);
    for (std::size_t a = 0; a < d; ++a) {
      const AxisKernels& kern = dims_[a];
      double& x = points[i * d + a];
      if (kern.axis.kind != AxisKind::categorical) {
        x = sample_truncated_normal(rng, kern.mu[k], kern.sigma[k], 0.0, 1.0);
        continue;
      }
      // Inverse CDF over the component's choice probabilities.
      const std::size_t c = kern.axis.choices;
      const double r = uniform01(rng);
      std::size_t pick = c - 1;
      if (kern.choice[k] < 0) {
        pick = std::min(static_cast<std::size_t>(r * static_cast<double>(c)), c - 1);
      } else {
        const double hit = std::exp(kern.log_hit), miss = std::exp(kern.log_miss);
        double acc = 0.0;
        for (std::size_t j = 0; j < c; ++j) {
          acc += static_cast<int>(j) == kern.choice[k] ? hit : miss;
          if (r < acc) {
            pick = j;
            break;
          }
        }
      }
      x = static_cast<double>(pick);
    }
  }
  return points;
}

void ParzenEstimator::log_pdf(std::span<const double> points, std::size_t count,
                              std::span<double> out) const {
  const std::size_t d = dims_.size();
  const std::size_t m = log_weights_.size();
  // A discrete axis's terms need two normal CDFs per component: compute them once per
  // distinct value (an int axis has few) and reuse them across candidates.
  struct DiscreteTerms {
    std::vector<double> values, terms;  ///< distinct values; their m terms each, in order
  };
  std::vector<DiscreteTerms> discrete(d);
  for (std::size_t a = 0; a < d; ++a) {
    const AxisKernels& kern = dims_[a];
    if (kern.axis.kind != AxisKind::discrete) continue;
    DiscreteTerms& cache = discrete[a];
    for (std::size_t i = 0; i < count; ++i) cache.values.push_back(points[i * d + a]);
    std::sort(cache.values.begin(), cache.values.end());
    cache.values.erase(std::unique(cache.values.begin(), cache.values.end()), cache.values.end());
    cache.terms.resize(cache.values.size() * m);
    for (std::size_t v = 0; v < cache.values.size(); ++v) {
      const double lo = std::max(cache.values[v] - 0.5 * kern.axis.step, 0.0);
      const double hi = std::min(cache.values[v] + 0.5 * kern.axis.step, 1.0);
      for (std::size_t k = 0; k < m; ++k)
        cache.terms[v * m + k] = log_gauss_mass((lo - kern.mu[k]) * kern.inv_sigma[k],
                                                (hi - kern.mu[k]) * kern.inv_sigma[k]) -
                                 kern.log_norm[k];
    }
  }

  std::vector<double> row(m);
  for (std::size_t i = 0; i < count; ++i) {
    std::copy(log_weights_.begin(), log_weights_.end(), row.begin());
    for (std::size_t a = 0; a < d; ++a) {
      const AxisKernels& kern = dims_[a];
      const double x = points[i * d + a];
      switch (kern.axis.kind) {
        case AxisKind::continuous:
          for (std::size_t k = 0; k < m; ++k) {
            const double z = (x - kern.mu[k]) * kern.inv_sigma[k];
            row[k] += -0.5 * z * z - kern.log_norm[k];
          }
          break;
        case AxisKind::discrete: {
          const auto& values = discrete[a].values;
          const auto v = static_cast<std::size_t>(std::lower_bound(values.begin(), values.end(), x) - values.begin());
          const double* terms = discrete[a].terms.data() + v * m;
          for (std::size_t k = 0; k < m; ++k) row[k] += terms[k];
          break;
        }
        case AxisKind::categorical: {
          const int c = static_cast<int>(x);
          for (std::size_t k = 0; k < m; ++k)
            row[k] += kern.choice[k] < 0 ? kern.log_uniform : (kern.choice[k] == c ? kern.log_hit : kern.log_miss);
          break;
        }
      }
    }
    const double top = *std::max_element(row.begin(), row.end());
    if (top == neg_inf) {
      out[i] = neg_inf;
      continue;
    }
    // Components more than e^-50 below the largest change the sum by less than
    // n * 2e-22 relative (1e-18 at n = 5000); skipping their exp is most of the speed at
    // large n, where a candidate sees few of the many narrow kernels.
    double sum = 0.0;
    for (std::size_t k = 0; k < m; ++k) {
      const double rel = row[k] - top;
      if (rel > -50.0) sum += std::exp(rel);
    }
    out[i] = top + std::log(sum);
  }
}

}  // namespace h5tune::tpe
