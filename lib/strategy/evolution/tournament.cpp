#include "strategy/evolution/tournament.hpp"
#include "h5tune/seed.hpp"

#include <numeric>
#include <utility>

namespace h5tune {

std::vector<std::size_t> tournament_sample(std::size_t n, std::size_t k, Rng& rng) {
  if (k > n) k = n;
  std::vector<std::size_t> index(n);
  std::iota(index.begin(), index.end(), std::size_t{0});
  for (std::size_t i = 0; i < k; ++i) {
    std::swap(index[i], index[i + uniform_index(n - i, rng)]);
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
