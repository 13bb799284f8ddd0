#pragma once
// The two TPE rules that decide which observations describe "good" points and how much
// each one counts, with Optuna's defaults (samplers/_tpe/sampler.py: default_gamma,
// default_weights, _split_observation_pairs).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "h5tune/seed.hpp"

namespace h5tune::tpe {

/// gamma(n) = min(ceil(fraction * n), max_below), at most n: the size of the "below"
/// (good) set among n finished observations. Optuna: fraction 0.1, max 25. The product is
/// rounded up in double precision, as Optuna does (for fraction 0.1 this is exact below 300).
std::size_t below_count(std::size_t n, double fraction, std::size_t max_below) noexcept;

/// Optuna's default_weights(n): the weights of n observations in trial order, oldest
/// first. All 1 for n < 25; otherwise the newest 25 get 1 and the older n - 25 a linear
/// ramp from 1/n up to 1 (numpy.linspace, last point exact). Bergstra et al. 2013.
std::vector<double> default_weights(std::size_t n);

/// How one observation ranks in the split: the class first (0 complete, 1 pruned,
/// 2 pending "lie"), then the score (smaller is better), then its position.
struct RankKey {
  std::uint8_t rank_class = 0;
  double score = 0.0;
};

/// Positions of the below and above sets, each in ascending position order (so weights
/// computed from the order favour recent trials). The best `n_below` by (class, score,
/// position) form the below set: a total order, hence deterministic. O(n) expected.
struct Split {
  std::vector<std::size_t> below;
  std::vector<std::size_t> above;
};
Split split_observations(std::span<const RankKey> keys, std::size_t n_below);

/// Weights of the `rows` of a below set by rank, in the order of `rows`: the r-th best (by
/// class, score, position, as in the split) gets 1 / r. Joint suggestions weight their
/// l(x) so (TpeStrategy): its components concentrate on the best points the way the
/// weights (y* - y)+ of likelihood-free BO make TPE's ratio an expected improvement (Song,
/// Yu, Neiswanger, Ermon, ICML 2022), but by rank, so one outlying value cannot take all
/// the weight. They sum to less than Optuna's (all 1), so the prior component's share grows.
std::vector<double> rank_weights(std::span<const RankKey> keys, std::span<const std::size_t> rows);

/// Keeps a uniformly random `keep` of `rows` in their order (all when there are no more):
/// Floyd's algorithm, `keep` draws from `rng` and O(rows) time. An estimator fitted to the
/// kept rows, weighted by default_weights() over their order, is a Monte-Carlo estimate of
/// the one fitted to all rows, since the order keeps each row's place in the weight ramp.
void subsample_in_order(std::vector<std::size_t>& rows, std::size_t keep, Rng& rng);

}  // namespace h5tune::tpe
