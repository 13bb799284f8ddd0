#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"
#include "strategy/cmaes/cma_distribution.hpp"
#include "strategy/cmaes/cmaes_strategy.hpp"
#include "support/trial_record.hpp"

namespace h5tune {
namespace {

Space unit_floats(std::size_t d) {
  Space s;
  for (std::size_t i = 0; i < d; ++i) s.add_float("x" + std::to_string(i), 0.0, 1.0);
  return s;
}

/// Asks for a whole generation, tells it, and returns how many points it had.
template <class Objective>
std::size_t run_generation(CmaesStrategy& s, std::int64_t& id, Objective&& f, double& best) {
  const auto batch = s.ask(100000, {});
  for (const auto& p : batch) {
    const double value = f(p.values);
    best = std::min(best, value);
    s.tell(test::told_trial(id++, p.values, value));
  }
  return batch.size();
}

const std::vector<double> optimum{0.3, 0.62, 0.45, 0.71, 0.18};

double sphere(const std::vector<double>& v) {
  double sum = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) sum += (v[i] - optimum[i]) * (v[i] - optimum[i]);
  return sum;
}

TEST(CmaesStrategy, ConvergesOnAFiveDimensionalSphere) {
  CmaesStrategy s({}, unit_floats(5), 5);
  std::int64_t id = 0;
  double best = std::numeric_limits<double>::infinity();
  while (id < 2000 && best >= 1e-6) run_generation(s, id, sphere, best);
  EXPECT_LT(best, 1e-6) << "after " << id << " evaluations";
  EXPECT_EQ(s.restarts(), 0u);
}

TEST(CmaesStrategy, MaximizesUnderTheDirectionOption) {
  Options options;
  options.set("direction", std::string("maximize"));
  CmaesStrategy s(options, unit_floats(5), 6);
  std::int64_t id = 0;
  double best = std::numeric_limits<double>::infinity();  // of the sphere, i.e. -value
  const auto negated = [](const std::vector<double>& v) { return -sphere(v); };
  while (id < 2000) {
    const auto batch = s.ask(100, {});
    for (const auto& p : batch) {
      best = std::min(best, sphere(p.values));
      s.tell(test::told_trial(id++, p.values, negated(p.values)));
    }
  }
  EXPECT_LT(best, 1e-6);
}

TEST(CmaesStrategy, GenerationBarrierHoldsUntilEveryMemberIsTold) {
  CmaesStrategy s({}, unit_floats(5), 7);
  const std::size_t lambda = 1 + 4 + 4;  // the mean's trial (n >= 4) + 4 + floor(3 ln 5) samples
  std::vector<TrialRecord> pending;
  for (const auto& p : s.ask(3, {}))
    pending.push_back(test::told_trial(static_cast<std::int64_t>(pending.size()), p.values, 0.0, TrialState::running));
  for (const auto& p : s.ask(100, pending))
    pending.push_back(test::told_trial(static_cast<std::int64_t>(pending.size()), p.values, 0.0, TrialState::running));
  ASSERT_EQ(pending.size(), lambda);
  EXPECT_TRUE(s.ask(1, pending).empty());
  // Told one by one (a failed one among them): the barrier holds until the last.
  while (pending.size() > 1) {
    TrialRecord t = pending.back();
    pending.pop_back();
    t.state = pending.size() == 3 ? TrialState::failed : TrialState::complete;
    t.value = t.state == TrialState::complete ? sphere(t.values) : TrialRecord::nan;
    s.tell(t);
    EXPECT_TRUE(s.ask(5, pending).empty()) << pending.size() << " still running";
  }
  EXPECT_EQ(s.distribution().generation(), 0u);
  TrialRecord last = pending.back();
  last.state = TrialState::complete;
  last.value = sphere(last.values);
  s.tell(last);
  EXPECT_EQ(s.distribution().generation(), 1u);
  EXPECT_EQ(s.ask(100, {}).size(), lambda);
}

TEST(CmaesStrategy, MeanTrialComesFirstAndStaysOutOfTheUpdate) {
  // From 4 non-categorical parameters on (the default), each generation starts with a trial
  // at the mean; it draws no normals, so the samples equal those of a run without it.
  Options without;
  without.set("mean_trial_dims", std::int64_t{1000});
  CmaesStrategy a({}, unit_floats(5), 15);
  CmaesStrategy b(without, unit_floats(5), 15);
  std::int64_t id = 0;
  for (int g = 0; g < 4; ++g) {
    const auto pa = a.ask(100, {});
    const auto pb = b.ask(100, {});
    ASSERT_EQ(pa.size(), pb.size() + 1);
    EXPECT_EQ(pa.front().values, a.distribution().mean());  // floats on [0, 1]: decoded as is
    // The mean's trial is told the best value of all: were it ranked, it would move the mean.
    a.tell(test::told_trial(id++, pa.front().values, -1.0));
    for (std::size_t i = 0; i < pb.size(); ++i) {
      ASSERT_EQ(pa[i + 1].values, pb[i].values);
      a.tell(test::told_trial(id, pa[i + 1].values, sphere(pa[i + 1].values)));
      b.tell(test::told_trial(id++, pb[i].values, sphere(pb[i].values)));
    }
    ASSERT_EQ(a.distribution().mean(), b.distribution().mean()) << "generation " << g;
  }
  // A checkpoint records whether generations have the mean's trial.
  std::stringstream checkpoint;
  a.save(checkpoint);
  CmaesStrategy c(without, unit_floats(5), 15);
  EXPECT_THROW(c.load(checkpoint), InputError);
  // Below the threshold there is none.
  EXPECT_EQ(CmaesStrategy({}, unit_floats(3), 15).ask(100, {}).size(), 4u + 3u);  // 4 + floor(3 ln 3)
}

TEST(CmaesStrategy, MembersNeitherToldNorPendingCountAsFailed) {
  CmaesStrategy s({}, unit_floats(3), 8);
  const auto first = s.ask(100, {});
  ASSERT_FALSE(first.empty());
  // Only the first member is still running; the others were lost (a crashed run).
  std::vector<TrialRecord> pending{test::told_trial(0, first.front().values, 0.0, TrialState::running)};
  EXPECT_TRUE(s.ask(1, pending).empty());
  s.tell(test::told_trial(0, first.front().values, 1.0));
  EXPECT_EQ(s.ask(1, {}).size(), 1u);
  EXPECT_EQ(s.distribution().generation(), 1u);
}

TEST(CmaesStrategy, RestartDoublesThePopulationAfterAFlatObjective) {
  for (const bool restarts : {true, false}) {
    Options options;
    options.set("popsize", std::int64_t{6});
    options.set("restarts", restarts);
    CmaesStrategy s(options, unit_floats(2), 9);
    std::int64_t id = 0;
    double best = 0.0;
    const auto flat = [](const std::vector<double>&) { return 1.0; };
    std::vector<std::size_t> sizes;
    for (int g = 0; g < 60; ++g) sizes.push_back(run_generation(s, id, flat, best));
    EXPECT_EQ(sizes.front(), 6u);
    if (restarts) {
      // TolFun: a flat window of 10 + ceil(30 * 2 / 6) = 20 generations.
      EXPECT_GE(s.restarts(), 1u);
      EXPECT_EQ(sizes[19], 6u);
      EXPECT_EQ(sizes[20], 12u);
      EXPECT_EQ(s.distribution().lambda(), 6u << s.restarts());
    } else {
      EXPECT_EQ(s.restarts(), 0u);
      EXPECT_EQ(sizes.back(), 6u);
    }
  }
}

TEST(CmaesStrategy, ConvergenceRestartsFromElsewhereWithDoubledPopulation) {
  // On a sphere sigma collapses onto the optimum until TolFun / TolX stop it.
  CmaesStrategy s({}, unit_floats(3), 10);
  std::int64_t id = 0;
  double best = 0.0;
  const std::size_t lambda = s.distribution().lambda();
  std::size_t size = 0;
  while (id < 20000 && s.restarts() == 0) size = run_generation(s, id, sphere, best);
  ASSERT_EQ(s.restarts(), 1u);
  EXPECT_EQ(size, lambda);
  EXPECT_EQ(s.distribution().lambda(), 2 * lambda);
  EXPECT_DOUBLE_EQ(s.distribution().sigma(), 1.0 / 6.0);  // restarts begin at sigma0
  EXPECT_NE(s.distribution().mean(), std::vector<double>(3, 0.5));  // a random restart point
  EXPECT_EQ(run_generation(s, id, sphere, best), 2 * lambda);
}

TEST(CmaesStrategy, IntegersAreValidAndTheOptimumIsFound) {
  Space space;
  space.add_int("a", 0, 5).add_int("b", -10, 10).add_int("c", 1, 100, true).add_float("x", -1.0, 1.0);
  CmaesStrategy s({}, space, 11);
  std::int64_t id = 0;
  double best = std::numeric_limits<double>::infinity();
  const auto f = [&](const std::vector<double>& v) {
    EXPECT_TRUE(space.contains(v));
    return (v[0] - 5) * (v[0] - 5) + (v[1] - 3) * (v[1] - 3) + std::abs(std::log(v[2] / 7.0)) + v[3] * v[3];
  };
  while (id < 1500) run_generation(s, id, f, best);
  EXPECT_LT(best, 1e-4);
}

TEST(CmaesStrategy, CategoricalsAreDrawnIndependently) {
  Space space;
  space.add_float("x", 0.0, 1.0).add_choice("act", {"relu", "tanh", "gelu"});
  CmaesStrategy s({}, space, 12);
  std::vector<int> counts(3, 0);
  std::int64_t id = 0;
  double best = 0.0;
  while (id < 600) {
    for (const auto& p : s.ask(100, {})) counts[static_cast<std::size_t>(p.values[1])]++;
    run_generation(s, id, [](const std::vector<double>& v) { return v[0]; }, best);
  }
  for (const int c : counts) EXPECT_GT(c, 100);

  Space only_choices;
  only_choices.add_choice("act", {"relu", "tanh"});
  CmaesStrategy random_only({}, only_choices, 12);
  EXPECT_EQ(random_only.ask(7, {}).size(), 7u);  // no generations, no barrier
  EXPECT_EQ(random_only.ask(7, {}).size(), 7u);
}

TEST(CmaesStrategy, SaveLoadMidGenerationContinuesIdentically) {
  Space space;
  space.add_float("x", 0.0, 1.0).add_int("n", 0, 9).add_choice("c", {"a", "b"});
  CmaesStrategy a({}, space, 13);
  std::int64_t id = 0;
  double best = 0.0;
  const auto f = [](const std::vector<double>& v) { return (v[0] - 0.2) * (v[0] - 0.2) + v[1] + v[2]; };
  for (int g = 0; g < 5; ++g) run_generation(a, id, f, best);
  const auto half = a.ask(3, {});
  a.tell(test::told_trial(id++, half[0].values, f(half[0].values)));
  std::stringstream checkpoint;
  a.save(checkpoint);
  CmaesStrategy b({}, space, 99);
  b.load(checkpoint);
  for (auto* s : {&a, &b}) {
    s->tell(test::told_trial(100, half[1].values, f(half[1].values)));
    s->tell(test::told_trial(101, half[2].values, f(half[2].values)));
  }
  for (int g = 0; g < 10; ++g) {
    const auto pa = a.ask(100, {});
    const auto pb = b.ask(100, {});
    ASSERT_EQ(pa.size(), pb.size());
    for (std::size_t i = 0; i < pa.size(); ++i) {
      ASSERT_EQ(pa[i].values, pb[i].values);
      a.tell(test::told_trial(id, pa[i].values, f(pa[i].values)));
      b.tell(test::told_trial(id++, pb[i].values, f(pb[i].values)));
    }
  }
  EXPECT_EQ(a.distribution().covariance(), b.distribution().covariance());
}

// Cholesky of a column-major n x n matrix: false when it is not positive definite.
bool positive_definite(std::vector<double> c, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    double d = c[j * n + j];
    for (std::size_t k = 0; k < j; ++k) d -= c[k * n + j] * c[k * n + j];
    if (!(d > 0.0)) return false;
    const double l = std::sqrt(d);
    c[j * n + j] = l;
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = c[j * n + i];
      for (std::size_t k = 0; k < j; ++k) s -= c[k * n + i] * c[k * n + j];
      c[j * n + i] = s / l;
    }
  }
  return true;
}

TEST(CmaDistribution, CovarianceStaysSymmetricPositiveDefiniteOnAnIllConditionedProblem) {
  // An ellipsoid with axis scales 1 .. 1e4 in a rotated frame (coordinates mixed pairwise).
  const std::size_t n = 6;
  CmaDistribution dist(std::vector<double>(n, 1.0), 0.5, 10);
  Rng rng(14);
  const auto ellipsoid = [&](const std::vector<double>& x) {
    double f = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double y = x[i] + 0.5 * x[(i + 1) % n];
      f += std::pow(1e4, static_cast<double>(i) / static_cast<double>(n - 1)) * y * y;
    }
    return f;
  };
  for (int g = 0; g < 400; ++g) {
    std::vector<std::vector<double>> points;
    for (std::size_t k = 0; k < dist.lambda(); ++k) points.push_back(dist.sample(rng));
    std::sort(points.begin(), points.end(),
              [&](const auto& a, const auto& b) { return ellipsoid(a) < ellipsoid(b); });
    dist.update(points);
    const auto& c = dist.covariance();
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) ASSERT_EQ(c[i * n + j], c[j * n + i]) << "generation " << g;
    ASSERT_TRUE(positive_definite(c, n)) << "generation " << g;
    for (const double d : dist.axis_lengths()) ASSERT_GT(d, 0.0);
  }
  // It learnt the shape: the axis lengths spread over about the ellipsoid's 1e2 in scale.
  const auto [lo, hi] = std::minmax_element(dist.axis_lengths().begin(), dist.axis_lengths().end());
  EXPECT_GT(*hi / *lo, 20.0);
  EXPECT_LT(ellipsoid(dist.mean()), 1e-8);
}

}  // namespace
}  // namespace h5tune
