#pragma once
#include <cstddef>
#include <vector>

#include "h5tune/seed.hpp"

namespace h5tune {

/// `k` distinct indices of [0, n) drawn uniformly without replacement (a partial
/// Fisher-Yates shuffle); all n when k >= n.
std::vector<std::size_t> tournament_sample(std::size_t n, std::size_t k, Rng& rng);

/// The member of `sample` (an index into `scores`) with the smallest score, the first one
/// sampled on ties: the tournament winner.
/// `sample` must not be empty.
std::size_t tournament_winner(const std::vector<std::size_t>& sample,
                              const std::vector<double>& scores);

}  // namespace h5tune
