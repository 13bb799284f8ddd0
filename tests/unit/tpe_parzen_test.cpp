// TPE's building blocks against Optuna's definitions (samplers/_tpe in Optuna 3.1).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "strategy/tpe/parzen_estimator.hpp"
#include "strategy/tpe/tpe_axis.hpp"
#include "strategy/tpe/tpe_split.hpp"
#include "strategy/tpe/truncated_normal.hpp"

namespace h5tune::tpe {
namespace {

TEST(TpeWeights, FlatBelowTwentyFiveObservations) {
  EXPECT_TRUE(default_weights(0).empty());
  for (const std::size_t n : {1u, 7u, 24u, 25u}) EXPECT_EQ(default_weights(n), std::vector<double>(n, 1.0)) << n;
}

TEST(TpeWeights, RampForOlderObservationsAsOptuna) {
  // Optuna 3.1 default_weights(30): linspace(1/30, 1, 5) then 25 ones.
  const auto w30 = default_weights(30);
  ASSERT_EQ(w30.size(), 30u);
  const double ramp[] = {0.03333333333333333, 0.275, 0.5166666666666667, 0.7583333333333333, 1.0};
  for (int i = 0; i < 5; ++i) EXPECT_DOUBLE_EQ(w30[i], ramp[i]) << i;
  for (int i = 5; i < 30; ++i) EXPECT_EQ(w30[i], 1.0) << i;
  const auto w26 = default_weights(26);  // a one-point ramp is its start
  EXPECT_DOUBLE_EQ(w26[0], 1.0 / 26.0);
  const auto w27 = default_weights(27);
  EXPECT_DOUBLE_EQ(w27[0], 1.0 / 27.0);
  EXPECT_EQ(w27[1], 1.0);
  const auto w1000 = default_weights(1000);
  EXPECT_TRUE(std::is_sorted(w1000.begin(), w1000.end()));
  EXPECT_DOUBLE_EQ(w1000.front(), 1e-3);
}

TEST(TpeSplit, BelowCountIsOptunasDefaultGamma) {
  // (n, Optuna's default_gamma(n))
  const std::pair<std::size_t, std::size_t> cases[] = {{0, 0},   {1, 1},    {5, 1},     {10, 1},
                                                       {11, 2},  {30, 3},   {70, 7},    {100, 10},
                                                       {249, 25}, {251, 25}, {1000, 25}};
  for (const auto& [n, expected] : cases) EXPECT_EQ(below_count(n, 0.1, 25), expected) << n;
  EXPECT_EQ(below_count(10, 0.5, 25), 5u);
  EXPECT_EQ(below_count(3, 1.0, 25), 3u);
  EXPECT_EQ(below_count(100, 0.1, 4), 4u);
}

TEST(TpeSplit, BestScoresGoBelowCompleteBeforePrunedBeforeLies) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<RankKey> keys = {{0, 3.0}, {2, inf}, {1, 0.0}, {0, -1.0}, {0, 3.0}, {0, 2.0}};
  Split s = split_observations(keys, 2);
  EXPECT_EQ(s.below, (std::vector<std::size_t>{3, 5}));
  EXPECT_EQ(s.above, (std::vector<std::size_t>{0, 1, 2, 4}));
  s = split_observations(keys, 3);  // the tie at 3.0 goes to the earlier position
  EXPECT_EQ(s.below, (std::vector<std::size_t>{0, 3, 5}));
  s = split_observations(keys, 5);  // more than the complete ones: the pruned one joins
  EXPECT_EQ(s.below, (std::vector<std::size_t>{0, 2, 3, 4, 5}));
  EXPECT_EQ(s.above, (std::vector<std::size_t>{1}));
  s = split_observations(keys, 0);
  EXPECT_TRUE(s.below.empty());
  EXPECT_EQ(s.above.size(), keys.size());
}

TEST(TpeSplit, RankWeightsFollowTheSplitsOrderInTheRowsOrder) {
  // Positions 0..5; the rows are a below set listed in position order, as the split gives.
  const std::vector<RankKey> keys = {{0, 3.0}, {0, 0.5}, {1, 0.0}, {0, -1.0}, {0, 3.0}, {0, 2.0}};
  const std::vector<std::size_t> rows = {0, 1, 2, 3, 4, 5};
  // Ranks: 3 (-1.0), 1 (0.5), 5 (2.0), 0 (3.0, the earlier tie), 4 (3.0), 2 (pruned).
  const std::vector<double> expected = {1.0 / 4, 1.0 / 2, 1.0 / 6, 1.0, 1.0 / 5, 1.0 / 3};
  const std::vector<double> w = rank_weights(keys, rows);
  ASSERT_EQ(w.size(), expected.size());
  for (std::size_t i = 0; i < w.size(); ++i) EXPECT_DOUBLE_EQ(w[i], expected[i]) << i;
  const std::vector<std::size_t> some = {1, 4, 5};
  EXPECT_EQ(rank_weights(keys, some), (std::vector<double>{1.0, 1.0 / 3, 1.0 / 2}));
  EXPECT_TRUE(rank_weights(keys, std::vector<std::size_t>{}).empty());
}

TEST(TpeSplit, SubsampleKeepsDistinctRowsInOrder) {
  Rng rng(5);
  std::vector<std::size_t> rows(200);
  std::iota(rows.begin(), rows.end(), std::size_t{1000});
  auto all = rows;
  subsample_in_order(all, 200, rng);
  EXPECT_EQ(all, rows);
  subsample_in_order(all, 500, rng);
  EXPECT_EQ(all, rows);
  auto some = rows;
  subsample_in_order(some, 37, rng);
  ASSERT_EQ(some.size(), 37u);
  EXPECT_TRUE(std::is_sorted(some.begin(), some.end()));
  EXPECT_EQ(std::adjacent_find(some.begin(), some.end()), some.end());
  for (const std::size_t r : some) EXPECT_TRUE(r >= 1000 && r < 1200) << r;
  auto none = rows;
  subsample_in_order(none, 0, rng);
  EXPECT_TRUE(none.empty());
}

TEST(TpeSplit, SubsampleKeepsEveryRowWithTheSameChance) {
  // 4,000 draws of 10 of 40 rows: each row is kept 1,000 times in expectation (sd 27), and
  // the rows kept together are not clustered (as keeping a random window would be).
  Rng rng(11);
  std::vector<int> kept(40, 0);
  int neighbours = 0;
  for (int draw = 0; draw < 4000; ++draw) {
    std::vector<std::size_t> rows(40);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    subsample_in_order(rows, 10, rng);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      ++kept[rows[i]];
      if (i > 0 && rows[i] == rows[i - 1] + 1) ++neighbours;
    }
  }
  for (std::size_t r = 0; r < kept.size(); ++r) EXPECT_NEAR(kept[r], 1000, 120) << "row " << r;
  // Expected adjacent pairs per draw: 39 * (10 * 9) / (40 * 39) = 2.25.
  EXPECT_NEAR(neighbours / 4000.0, 2.25, 0.15);
}

// Simpson's rule on [a, b] with 20000 intervals.
template <class F>
double integrate(F f, double a, double b) {
  const int n = 20000;
  const double h = (b - a) / n;
  double sum = f(a) + f(b);
  for (int i = 1; i < n; ++i) sum += f(a + i * h) * (i % 2 ? 4.0 : 2.0);
  return sum * h / 3.0;
}

TEST(TpeTruncatedNormal, LogPdfIntegratesToOneOverItsBounds) {
  const std::pair<double, double> intervals[] = {{-1.0, 1.0}, {-100.0, 1.0}, {0.0, 0.5},
                                                 {5.0, 7.0},  {-3.0, -2.5}, {30.0, 31.0},
                                                 {-45.0, -44.0}};
  for (const auto& [a, b] : intervals) {
    const double mass = integrate([&](double z) { return std::exp(truncated_log_pdf(z, a, b)); }, a, b);
    EXPECT_NEAR(mass, 1.0, 1e-6) << "[" << a << ", " << b << "]";
  }
  EXPECT_EQ(truncated_log_pdf(1.5, -1.0, 1.0), -std::numeric_limits<double>::infinity());
}

TEST(TpeTruncatedNormal, TailMassesStayFinite) {
  EXPECT_NEAR(log_gauss_mass(-1.0, 1.0), std::log(0.6826894921370859), 1e-12);
  EXPECT_NEAR(log_ndtr(-40.0), -804.6084420137538, 1e-9);  // scipy.special.log_ndtr(-40)
  const double far = log_gauss_mass(79.5, 80.5);
  EXPECT_TRUE(std::isfinite(far));
  EXPECT_LT(far, -3000.0);
  EXPECT_NEAR(log_gauss_mass(-80.5, -79.5), far, 1e-9);
}

TEST(TpeTruncatedNormal, QuantilesInvertTheCdfAndStayInBounds) {
  EXPECT_NEAR(truncated_quantile(0.5, -1.0, 1.0), 0.0, 1e-12);
  EXPECT_NEAR(truncated_quantile(0.5, -100.0, 100.0), 0.0, 1e-12);
  // Phi^-1(0.975) = 1.959963984540054
  EXPECT_NEAR(truncated_quantile(0.975, -50.0, 50.0), 1.959963984540054, 1e-9);
  for (const auto& [a, b] : {std::pair{-3.0, -2.5}, std::pair{5.0, 7.0}, std::pair{-99.0, 0.5}})
    for (double u = 0.0; u < 1.0; u += 0.0625) {
      const double z = truncated_quantile(u, a, b);
      EXPECT_GE(z, a);
      EXPECT_LE(z, b);
      // The CDF at z gives back u.
      const double cdf = std::exp(log_gauss_mass(a, z) - log_gauss_mass(a, b));
      EXPECT_NEAR(cdf, u, 1e-7) << a << " " << b << " " << u;
    }
}

std::vector<double> log_pdf_of(const ParzenEstimator& pe, const std::vector<double>& points) {
  std::vector<double> out(points.size() / pe.dims());
  pe.log_pdf(points, out.size(), out);
  return out;
}

// Reference numbers from Optuna 3.1's _ParzenEstimator with the TPESampler defaults. For
// continuous axes the densities are Optuna 3.1's mixtures (its centres, bandwidths and
// weights) with correctly normalized kernels, scipy.stats.truncnorm.logpdf: Optuna before
// 3.5 left out the -log(sigma) term (optuna issue #5109).
TEST(TpeParzenEstimator, MatchesOptunaForAFloat) {
  const Axis axis{AxisKind::continuous};
  const std::vector<double> obs = {0.1, 0.2, 0.25, 0.7};
  const ParzenEstimator pe(std::span(&axis, 1), std::span(&obs, 1), ParzenSettings{});
  const double sigmas[] = {1.0 / 6.0, 1.0 / 6.0, 0.25, 0.2, 1.0};
  for (std::size_t k = 0; k < 5; ++k) EXPECT_NEAR(pe.sigma(0, k), sigmas[k], 1e-15) << k;
  const auto lp = log_pdf_of(pe, {0.05, 0.3, 0.9});
  EXPECT_NEAR(lp[0], 0.3769354222972494, 1e-12);
  EXPECT_NEAR(lp[1], 0.3418015587919725, 1e-12);
  EXPECT_NEAR(lp[2], -0.7663059276819393, 1e-12);
}

TEST(TpeParzenEstimator, GivenWeightsReplaceOptunasAndMustCountTheObservations) {
  const Axis axis{AxisKind::continuous};
  const std::vector<double> obs = {0.1, 0.2, 0.7};
  const ParzenEstimator pe(std::span(&axis, 1), std::span(&obs, 1), ParzenSettings{}, {1.0, 0.5, 0.25});
  const std::vector<double> w = pe.weights();  // normalized, the prior (weight 1) last
  const double expected[] = {1.0 / 2.75, 0.5 / 2.75, 0.25 / 2.75, 1.0 / 2.75};
  ASSERT_EQ(w.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_DOUBLE_EQ(w[k], expected[k]) << k;
  // The kernels themselves do not depend on the weights.
  const ParzenEstimator optunas(std::span(&axis, 1), std::span(&obs, 1), ParzenSettings{});
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(pe.sigma(0, k), optunas.sigma(0, k)) << k;
  EXPECT_THROW(ParzenEstimator(std::span(&axis, 1), std::span(&obs, 1), ParzenSettings{}, {1.0, 1.0}),
               std::invalid_argument);
}

TEST(TpeParzenEstimator, MatchesOptunaForADiscretizedInt) {
  Space space;
  space.add_int("n", 0, 9);
  const AxisCodec codec(space);
  std::vector<double> obs;
  for (const double v : {1.0, 2.0, 2.0, 8.0}) obs.push_back(codec.encode(0, v));
  const ParzenEstimator pe(codec.axes(), std::span(&obs, 1), ParzenSettings{});
  const auto lp = log_pdf_of(pe, {codec.encode(0, 0.0), codec.encode(0, 3.0), codec.encode(0, 9.0)});
  EXPECT_NEAR(lp[0], -2.0988763419702425, 1e-12);
  EXPECT_NEAR(lp[1], -1.9719793500909788, 1e-12);
  EXPECT_NEAR(lp[2], -2.941933223693648, 1e-12);
  // A probability mass function: the ten values' masses sum to one.
  std::vector<double> all;
  for (int v = 0; v <= 9; ++v) all.push_back(codec.encode(0, v));
  double total = 0.0;
  for (const double l : log_pdf_of(pe, all)) total += std::exp(l);
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(TpeParzenEstimator, MatchesOptunaMultivariate) {
  const Axis axes[] = {Axis{AxisKind::continuous}, Axis{AxisKind::continuous}};
  const std::vector<std::vector<double>> obs = {{0.1, 0.2, 0.25, 0.7}, {0.9, 0.5, 0.4, 0.1}};
  const ParzenEstimator pe(axes, obs, ParzenSettings{1.0, true});
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(pe.sigma(0, k), 1.0 / 6.0, 1e-15);  // 0.2 * 4^(-1/6) = 0.159, clipped to 1/6
  EXPECT_EQ(pe.sigma(1, 4), 1.0);
  const auto lp = log_pdf_of(pe, {0.05, 0.5, 0.3, 0.5, 0.9, 0.2});
  EXPECT_NEAR(lp[0], 0.5202547748690597, 1e-12);
  EXPECT_NEAR(lp[1], 0.8547278151010187, 1e-12);
  EXPECT_NEAR(lp[2], -0.15338652884962617, 1e-12);
}

TEST(TpeParzenEstimator, CategoricalFavoursTheChoicesSeenInItsSet) {
  const Axis axis{AxisKind::categorical, 0.0, 3};
  const std::vector<double> obs = {0.0, 2.0, 2.0};
  const ParzenEstimator pe(std::span(&axis, 1), std::span(&obs, 1), ParzenSettings{});
  const auto lp = log_pdf_of(pe, {0.0, 1.0, 2.0});
  EXPECT_NEAR(lp[0], -1.0986122886681098, 1e-12);  // Optuna 3.1
  EXPECT_NEAR(lp[1], -1.6582280766035324, 1e-12);
  EXPECT_NEAR(lp[2], -0.7419373447293772, 1e-12);
  EXPECT_GT(lp[2], lp[0]);
  EXPECT_GT(lp[0], lp[1]);
  EXPECT_NEAR(std::exp(lp[0]) + std::exp(lp[1]) + std::exp(lp[2]), 1.0, 1e-12);

  Rng rng(5);
  const auto draws = pe.sample(rng, 3000);
  std::vector<int> counts(3, 0);
  for (const double c : draws) ++counts.at(static_cast<std::size_t>(c));
  for (std::size_t c = 0; c < 3; ++c) EXPECT_NEAR(counts[c] / 3000.0, std::exp(lp[c]), 0.03) << c;
}

TEST(TpeParzenEstimator, MixtureDensityIntegratesToOneAndSamplesFollowIt) {
  const Axis axis{AxisKind::continuous};
  std::vector<double> obs;
  Rng data(11);
  for (int i = 0; i < 40; ++i) obs.push_back(0.3 * uniform01(data));  // weights ramp past 25
  const ParzenEstimator pe(std::span(&axis, 1), std::span(&obs, 1), ParzenSettings{});
  const auto w = pe.weights();
  EXPECT_NEAR(std::accumulate(w.begin(), w.end(), 0.0), 1.0, 1e-12);
  const double mass = integrate(
      [&](double x) {
        double out = 0.0;
        pe.log_pdf(std::span(&x, 1), 1, std::span(&out, 1));
        return std::exp(out);
      },
      0.0, 1.0);
  EXPECT_NEAR(mass, 1.0, 1e-6);
  Rng rng(3);
  const auto draws = pe.sample(rng, 2000);
  const auto below_03 = std::count_if(draws.begin(), draws.end(), [](double x) { return x < 0.3; });
  for (const double x : draws) ASSERT_TRUE(x >= 0.0 && x <= 1.0);
  EXPECT_GT(below_03, 1500);  // nearly all mass sits near the observations
}

}  // namespace
}  // namespace h5tune::tpe
