// Behaviour of the gp strategy through its Strategy interface.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <set>
#include <sstream>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"
#include "strategy/gp/gp_strategy.hpp"
#include "support/trial_record.hpp"

namespace h5tune {
namespace {

TrialRecord result(std::int64_t id, const std::vector<double>& values, double value,
                   TrialState state = TrialState::complete) {
  return test::told_trial(id, values, value, state);
}

using Objective = std::function<double(const std::vector<double>&)>;

/// Runs `trials` sequential ask(1)/tell rounds; returns the values told.
std::vector<double> run(Strategy& s, const Objective& f, int trials) {
  std::vector<double> values;
  for (int k = 0; k < trials; ++k) {
    const auto batch = s.ask(1, {});
    EXPECT_EQ(batch.size(), 1u);
    values.push_back(f(batch[0].values));
    s.tell(result(k, batch[0].values, values.back()));
  }
  return values;
}

TEST(GpStrategy, ConvergesOnAOneDimensionalQuadratic) {
  Space space;
  space.add_float("x", -5.0, 5.0);
  Options options;
  options.set("n_initial", std::int64_t{5});
  GpStrategy gp(options, space, 11);
  const auto values = run(gp, [](const std::vector<double>& v) { return (v[0] - 1.3) * (v[0] - 1.3); }, 5 + 12);
  EXPECT_LT(*std::min_element(values.begin(), values.end()), 1e-3);
}

TEST(GpStrategy, MaximizeDirectionSeeksTheMaximum) {
  Space space;
  space.add_float("x", -5.0, 5.0);
  Options options;
  options.set("n_initial", std::int64_t{5});
  options.set("direction", std::string("maximize"));
  GpStrategy gp(options, space, 12);
  const auto values = run(gp, [](const std::vector<double>& v) { return -(v[0] + 2.0) * (v[0] + 2.0); }, 18);
  EXPECT_GT(*std::max_element(values.begin(), values.end()), -1e-3);
}

TEST(GpStrategy, BadDirectionOrAcquisitionIsAnInputError) {
  Space space;
  space.add_float("x", 0.0, 1.0);
  Options direction;
  direction.set("direction", std::string("sideways"));
  EXPECT_THROW(GpStrategy(direction, space, 1), InputError);
  Options acquisition;
  acquisition.set("acquisition", std::string("pi"));
  EXPECT_THROW(GpStrategy(acquisition, space, 1), InputError);
}

void expect_valid_and_distinct_until_exhausted(const Space& space, std::size_t size, const Objective& f) {
  GpStrategy gp(Options{}, space, 13);
  std::set<std::vector<double>> seen;
  for (std::size_t k = 0; k < size; ++k) {
    const auto batch = gp.ask(1, {});
    ASSERT_EQ(batch.size(), 1u);
    ASSERT_TRUE(space.contains(batch[0].values)) << k;
    ASSERT_TRUE(seen.insert(batch[0].values).second) << "duplicate at trial " << k;
    gp.tell(result(static_cast<std::int64_t>(k), batch[0].values, f(batch[0].values)));
  }
  // Exhausted: still valid points (repeats allowed now).
  const auto more = gp.ask(2, {});
  ASSERT_EQ(more.size(), 2u);
  for (const auto& s : more) EXPECT_TRUE(space.contains(s.values));
}

TEST(GpStrategy, CategoricalOnlySpaceNeverRepeatsUntilExhausted) {
  Space space;
  space.add_choice("a", {"x", "y", "z"}).add_choice("b", {"p", "q", "r", "s"});
  expect_valid_and_distinct_until_exhausted(space, 12, [](const std::vector<double>& v) { return v[0] + 0.3 * v[1]; });
}

TEST(GpStrategy, IntOnlySpaceNeverRepeatsUntilExhausted) {
  Space space;
  space.add_int("i", -2, 3).add_int("j", 1, 8, true);
  expect_valid_and_distinct_until_exhausted(space, 48, [](const std::vector<double>& v) {
    return (v[0] - 1.0) * (v[0] - 1.0) + std::log(v[1]);
  });
}

TEST(GpStrategy, FailedPointsAreNotSuggestedAgain) {
  Space space;
  space.add_int("i", 0, 5);
  Options options;
  options.set("n_initial", std::int64_t{2});
  GpStrategy gp(options, space, 14);
  std::set<std::vector<double>> seen;
  for (std::int64_t k = 0; k < 6; ++k) {
    const auto batch = gp.ask(1, {});
    ASSERT_EQ(batch.size(), 1u);
    ASSERT_TRUE(seen.insert(batch[0].values).second) << k;
    const bool fail = k % 2 == 1;
    gp.tell(result(k, batch[0].values, fail ? TrialRecord::nan : batch[0].values[0],
                   fail ? TrialState::failed : TrialState::complete));
  }
}

TEST(GpStrategy, PendingPointsChangeTheSuggestion) {
  Space space;
  space.add_float("x", 0.0, 1.0).add_float("y", 0.0, 1.0);
  const Objective f = [](const std::vector<double>& v) { return std::sin(5.0 * v[0]) + v[1] * v[1]; };
  GpStrategy gp(Options{}, space, 15);
  run(gp, f, 12);
  std::stringstream state;
  gp.save(state);
  GpStrategy other(Options{}, space, 15);
  other.load(state);

  const auto alone = gp.ask(1, {});
  ASSERT_EQ(alone.size(), 1u);
  TrialRecord busy = result(12, alone[0].values, TrialRecord::nan, TrialState::running);
  const auto with_pending = other.ask(1, {busy});
  ASSERT_EQ(with_pending.size(), 1u);
  EXPECT_NE(with_pending[0].values, alone[0].values);
}

TEST(GpStrategy, BatchAskReturnsDistinctPoints) {
  Space space;
  space.add_float("x", 0.0, 1.0).add_int("n", 1, 6).add_choice("c", {"a", "b"});
  GpStrategy gp(Options{}, space, 16);
  run(gp, [](const std::vector<double>& v) { return (v[0] - 0.4) * (v[0] - 0.4) + 0.1 * v[1] + v[2]; }, 12);
  const auto batch = gp.ask(4, {});
  ASSERT_EQ(batch.size(), 4u);
  std::set<std::vector<double>> distinct;
  for (const auto& s : batch) {
    EXPECT_TRUE(space.contains(s.values));
    distinct.insert(s.values);
  }
  EXPECT_EQ(distinct.size(), 4u);
}

TEST(GpStrategy, SolvesBraninWithinFortyTrials) {
  Space space;
  space.add_float("x1", -5.0, 10.0).add_float("x2", 0.0, 15.0);
  const Objective branin = [](const std::vector<double>& v) {
    const double pi = std::numbers::pi;
    const double b = 5.1 / (4.0 * pi * pi), c = 5.0 / pi, t = 1.0 / (8.0 * pi);
    const double u = v[1] - b * v[0] * v[0] + c * v[0] - 6.0;
    return u * u + 10.0 * (1.0 - t) * std::cos(v[0]) + 10.0;
  };
  GpStrategy gp(Options{}, space, 17);
  const auto values = run(gp, branin, 40);
  EXPECT_LT(*std::min_element(values.begin(), values.end()) - 0.397887, 0.1);
}

TEST(GpStrategy, OutputWarpingFollowsRosenbrocksValleyFurther) {
  // Rosenbrock's values span 0 to 1e5 on [-5, 10]^3; standardized, the valley is flat and the
  // GP sees only the corners. The warped model (the default) gets closer on every seed.
  Space space;
  for (const char* name : {"x0", "x1", "x2"}) space.add_float(name, -5.0, 10.0);
  const Objective rosenbrock = [](const std::vector<double>& v) {
    double f = 0;
    for (std::size_t i = 0; i + 1 < v.size(); ++i)
      f += 100.0 * (v[i + 1] - v[i] * v[i]) * (v[i + 1] - v[i] * v[i]) + (1.0 - v[i]) * (1.0 - v[i]);
    return f;
  };
  for (std::uint64_t seed : {1, 2, 3}) {
    Options plain;
    plain.set("warp_outputs", false);
    GpStrategy warped(Options{}, space, seed), unwarped(plain, space, seed);
    const auto w = run(warped, rosenbrock, 60), u = run(unwarped, rosenbrock, 60);
    const double best_w = *std::min_element(w.begin(), w.end()), best_u = *std::min_element(u.begin(), u.end());
    EXPECT_LT(best_w, best_u) << "seed " << seed;
    EXPECT_LT(best_w, 5.0) << "seed " << seed;
  }
}

}  // namespace
}  // namespace h5tune
