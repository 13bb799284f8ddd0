#include "strategy/evolution/tournament.hpp"

#include <numeric>
#include <utility>

namespace h5tune {

std::vector<std::size_t> tournament_sample(std::size_t n, std::size_t k, Rng& rng) {
  if (k > n) k = n;
  std::vector<std::size_t> index(n);
  std::iota(index.begin(), index.end(), std::size_t{0});
  for (std::size_t i = 0; i < k; ++i) {
    auto j = i + static_cast<std::size_t>(uniform01(rng) * static_cast<double>(n - i));
    if (j >= n) j = n - 1;
    std::swap(index[i], index[j]);
  }
  index.resize(k);
  return index;
}

std::size_t tournament_winner(const std::vector<std::size_t>& sample,
                              const std::vector<double>& scores) {
  std::size_t best = sample.front();
  for (const std::size_t i : sample)
    if (scores[i] < scores[best]) best = i;
  return best;
}

}  // namespace h5tune
