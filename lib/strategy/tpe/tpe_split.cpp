#include "strategy/tpe/tpe_split.hpp"
#include "h5tune/seed.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace h5tune::tpe {

std::size_t below_count(std::size_t n, double fraction, std::size_t max_below) noexcept {
  const double wanted = std::ceil(fraction * static_cast<double>(n));
  const auto count = static_cast<std::size_t>(std::max(wanted, 0.0));
  return std::min({count, max_below, n});
}

std::vector<double> default_weights(std::size_t n) {
  constexpr std::size_t flat = 25;
  if (n < flat) return std::vector<double>(n, 1.0);
  std::vector<double> w(n, 1.0);
  const std::size_t ramp = n - flat;
  // numpy.linspace(1/n, 1, ramp): start + i * step, with the last point set to the end.
  const double start = 1.0 / static_cast<double>(n);
  const double step = ramp > 1 ? (1.0 - start) / static_cast<double>(ramp - 1) : 0.0;
  for (std::size_t i = 0; i < ramp; ++i) w[i] = start + static_cast<double>(i) * step;
  if (ramp > 1) w[ramp - 1] = 1.0;
  return w;
}

namespace {

// The total order of observations: class, then score, then position.
bool ranks_before(std::span<const RankKey> keys, std::size_t i, std::size_t j) {
  if (keys[i].rank_class != keys[j].rank_class) return keys[i].rank_class < keys[j].rank_class;
  if (keys[i].score != keys[j].score) return keys[i].score < keys[j].score;
  return i < j;
}

}  // namespace

Split split_observations(std::span<const RankKey> keys, std::size_t n_below) {
  n_below = std::min(n_below, keys.size());
  std::vector<std::size_t> order(keys.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const auto better = [&](std::size_t i, std::size_t j) { return ranks_before(keys, i, j); };
  if (n_below > 0 && n_below < keys.size())
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_below - 1),
                     order.end(), better);
  std::vector<char> is_below(keys.size(), 0);
  if (n_below == keys.size()) {
    std::fill(is_below.begin(), is_below.end(), 1);
  } else if (n_below > 0) {
    // nth_element puts the n_below best in front (in no order).
    for (std::size_t k = 0; k < n_below; ++k) is_below[order[k]] = 1;
  }
  Split split;
  split.below.reserve(n_below);
  split.above.reserve(keys.size() - n_below);
  for (std::size_t i = 0; i < keys.size(); ++i) (is_below[i] ? split.below : split.above).push_back(i);
  return split;
}

std::vector<double> rank_weights(std::span<const RankKey> keys, std::span<const std::size_t> rows) {
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return ranks_before(keys, rows[a], rows[b]); });
  std::vector<double> weights(rows.size());
  for (std::size_t r = 0; r < order.size(); ++r) weights[order[r]] = 1.0 / static_cast<double>(r + 1);
  return weights;
}

void subsample_in_order(std::vector<std::size_t>& rows, std::size_t keep, Rng& rng) {
  const std::size_t n = rows.size();
  if (keep >= n) return;
  std::vector<char> kept(n, 0);
  for (std::size_t j = n - keep; j < n; ++j) {
    // Floyd: a uniform index in [0, j]; if it is taken, j itself (never taken yet).
    const std::size_t t = uniform_index(j + 1, rng);
    kept[kept[t] ? j : t] = 1;
  }
  std::size_t out = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (kept[i]) rows[out++] = rows[i];
  rows.resize(keep);
}

}  // namespace h5tune::tpe
