// Behaviour of the gp strategy through its Strategy interface.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <set>
#include <sstream>
#include <string>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"
#include "strategy/gp/gp_strategy.hpp"
#include "strategy/gp/trust_region.hpp"
#include "support/trial_record.hpp"

namespace h5tune {
namespace {

using Objective = std::function<double(const std::vector<double>&)>;

/// Runs `trials` sequential ask(1)/tell rounds; returns the values told.
std::vector<double> run(Strategy& s, const Objective& f, int trials) {
  std::vector<double> values;
  for (int k = 0; k < trials; ++k) {
    const auto batch = s.ask(1, {});
    EXPECT_EQ(batch.size(), 1u);
    values.push_back(f(batch[0].values));
    s.tell(test::told_trial(k, batch[0].values, values.back()));
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
    gp.tell(test::told_trial(static_cast<std::int64_t>(k), batch[0].values, f(batch[0].values)));
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
    gp.tell(test::told_trial(k, batch[0].values, fail ? TrialRecord::nan : batch[0].values[0],
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
  TrialRecord busy = test::told_trial(12, alone[0].values, TrialRecord::nan, TrialState::running);
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
    // Both search the whole space, so that only the warp differs in how the search moves.
    Options whole, plain;
    whole.set("search_box", 1.0);
    plain.set("search_box", 1.0);
    plain.set("warp_outputs", false);
    GpStrategy warped(whole, space, seed), unwarped(plain, space, seed);
    const auto w = run(warped, rosenbrock, 60), u = run(unwarped, rosenbrock, 60);
    const double best_w = *std::min_element(w.begin(), w.end()), best_u = *std::min_element(u.begin(), u.end());
    EXPECT_LT(best_w, best_u) << "seed " << seed;
    EXPECT_LT(best_w, 5.0) << "seed " << seed;
  }
}

/// How many of the suggestions after the design fall outside the trust region of their
/// moment, on a 1-d function with many local minima (in one dimension the box is [best - L/2,
/// best + L/2] whatever the length scale); `shrunk` counts the picks made with L < 0.8.
int picks_outside_the_trust_region(const Options& options, int& shrunk) {
  Space space;
  space.add_float("x", 0.0, 1.0);
  const Objective wavy = [](const std::vector<double>& v) { return std::sin(23.0 * v[0]) + 0.5 * v[0]; };
  GpStrategy gp(options, space, 5);
  gp::TrustRegionRule rule;
  rule.failure_tolerance = 2;
  std::vector<double> values, xs;
  int outside = 0;
  shrunk = 0;
  for (int k = 0; k < 30; ++k) {
    const auto batch = gp.ask(1, {});
    const double x = batch[0].values[0];
    if (k >= 5) {
      const double length = gp::trust_region_length(values, 5, rule);
      const double best_x = xs[static_cast<std::size_t>(std::min_element(values.begin(), values.end()) - values.begin())];
      if (std::abs(x - best_x) > 0.5 * length + 1e-12) ++outside;
      if (length < 0.8) ++shrunk;
    }
    xs.push_back(x);
    values.push_back(wavy(batch[0].values));
    gp.tell(test::told_trial(k, batch[0].values, values.back()));
  }
  return outside;
}

TEST(GpStrategy, TrustRegionKeepsEveryPickWithinItsBox) {
  Options options;
  options.set("n_initial", std::int64_t{5});
  options.set("trust_failures", std::int64_t{2});
  options.set("search_box", 1.0);
  int shrunk = 0;
  EXPECT_GT(picks_outside_the_trust_region(options, shrunk), 0) << "without it the global search goes further";
  EXPECT_GT(shrunk, 0) << "the region never shrank: the test would not see a box ignored";
  options.set("trust_region", true);
  EXPECT_EQ(picks_outside_the_trust_region(options, shrunk), 0);
  EXPECT_GT(shrunk, 0);
}

/// Picks after the design of a 1-d run on a function with many local minima: how many fall
/// outside the search box (best - side/2, best + side/2) of their moment, and how many of
/// those were not escape picks (made when the results since the last improvement are a
/// positive multiple of `escape_after`).
struct BoxCount {
  int outside = 0;
  int outside_unescaped = 0;
};
BoxCount picks_outside_the_search_box(double side, std::int64_t escape_after, std::uint64_t seed) {
  Space space;
  space.add_float("x", 0.0, 1.0);
  const Objective wavy = [](const std::vector<double>& v) { return std::sin(23.0 * v[0]) + 0.5 * v[0]; };
  Options options;
  options.set("n_initial", std::int64_t{5});
  options.set("search_box", side);
  options.set("escape_after", escape_after);
  GpStrategy gp(options, space, seed);
  std::vector<double> values, xs;
  BoxCount count;
  for (int k = 0; k < 40; ++k) {
    const double x = gp.ask(1, {})[0].values[0];
    if (k >= 5) {
      const auto best = static_cast<std::size_t>(std::min_element(values.begin(), values.end()) - values.begin());
      const std::size_t stalled = gp::results_since_improvement(values);
      const bool escape = escape_after > 0 && stalled >= static_cast<std::size_t>(escape_after) &&
                          stalled % static_cast<std::size_t>(escape_after) == 0;
      if (std::abs(x - xs[best]) > 0.5 * side + 1e-12) {
        ++count.outside;
        if (!escape) ++count.outside_unescaped;
      }
    }
    xs.push_back(x);
    values.push_back(wavy({x}));
    gp.tell(test::told_trial(k, {x}, values.back()));
  }
  return count;
}

TEST(GpStrategy, GlobalProfileSearchesNearTheBestPointAndEscapesWhenItStalls) {
  for (std::uint64_t seed : {5, 6}) {
    EXPECT_EQ(picks_outside_the_search_box(0.2, 0, seed).outside, 0) << "seed " << seed;
    const BoxCount escaping = picks_outside_the_search_box(0.2, 3, seed);
    EXPECT_EQ(escaping.outside_unescaped, 0) << "seed " << seed;
    EXPECT_GT(escaping.outside, 0) << "seed " << seed << ": no escape pick left the box";
  }
  EXPECT_GT(picks_outside_the_search_box(1.0, 0, 5).outside, 0) << "search_box = 1 searches the whole space";
}

TEST(GpStrategy, TrustRegionRunSavedAndLoadedContinuesExactly) {
  // The region is replayed from the told values, so the checkpoint needs nothing new.
  Space space;
  space.add_float("a", -2.0, 2.0).add_int("n", 1, 50, true).add_choice("c", {"x", "y", "z"}).add_float("b", 0.0, 1.0);
  const Objective f = [](const std::vector<double>& v) {
    return std::sin(3.0 * v[0]) + 0.01 * v[1] + (v[2] == 1.0 ? 0.0 : 0.5) + (v[3] - 0.2) * (v[3] - 0.2);
  };
  Options options;
  options.set("trust_region", true);
  options.set("n_initial", std::int64_t{6});
  options.set("trust_failures", std::int64_t{2});
  GpStrategy original(options, space, 11);
  run(original, f, 20);
  std::stringstream state;
  original.save(state);
  GpStrategy resumed(options, space, 12);
  resumed.load(state);
  for (int k = 20; k < 35; ++k) {
    const auto a = original.ask(1, {}), b = resumed.ask(1, {});
    ASSERT_EQ(a[0].values, b[0].values) << "trial " << k;
    ASSERT_TRUE(space.contains(a[0].values));
    original.tell(test::told_trial(k, a[0].values, f(a[0].values)));
    resumed.tell(test::told_trial(k, b[0].values, f(b[0].values)));
  }
}

TEST(GpStrategy, LocalProfileGetsCloserOnLevyInTenDimensions) {
  // Levy's many local minima in 10-d make a global search of the acquisition wander; the
  // local profile, the default from 10 parameters on, searches near the best point.
  Space space;
  for (int j = 0; j < 10; ++j) space.add_float("x" + std::to_string(j), -10.0, 10.0);
  const Objective levy = [](const std::vector<double>& x) {
    const double pi = std::numbers::pi;
    auto w = [&](std::size_t i) { return 1.0 + (x[i] - 1.0) / 4.0; };
    double f = std::pow(std::sin(pi * w(0)), 2);
    for (std::size_t i = 0; i + 1 < x.size(); ++i)
      f += std::pow(w(i) - 1.0, 2) * (1.0 + 10.0 * std::pow(std::sin(pi * w(i) + 1.0), 2));
    const double last = w(x.size() - 1) - 1.0;
    return f + last * last * (1.0 + std::pow(std::sin(2.0 * pi * w(x.size() - 1)), 2));
  };
  Options global;
  global.set("profile", std::string("global"));
  std::vector<double> plain_best, recipe_best;
  for (std::uint64_t seed : {1, 2, 3}) {
    // The default ("auto") is the local profile here: 10 float parameters.
    GpStrategy plain(global, space, seed), local(Options{}, space, seed);
    const auto p = run(plain, levy, 60), r = run(local, levy, 60);
    plain_best.push_back(*std::min_element(p.begin(), p.end()));
    recipe_best.push_back(*std::min_element(r.begin(), r.end()));
  }
  std::sort(plain_best.begin(), plain_best.end());
  std::sort(recipe_best.begin(), recipe_best.end());
  EXPECT_LT(recipe_best[1], 0.5 * plain_best[1])
      << "medians over 3 seeds: trust region " << recipe_best[1] << ", plain " << plain_best[1];
}

std::vector<std::vector<double>> first_suggestions(const Options& options, const Space& space, int trials) {
  GpStrategy gp(options, space, 4);
  const Objective sphere = [](const std::vector<double>& v) {
    double f = 0;
    for (double x : v) f += (x - 0.3) * (x - 0.3);
    return f;
  };
  std::vector<std::vector<double>> points;
  for (int k = 0; k < trials; ++k) {
    const auto batch = gp.ask(1, {});
    points.push_back(batch[0].values);
    gp.tell(test::told_trial(k, batch[0].values, sphere(batch[0].values)));
  }
  return points;
}

Space floats(int d) {
  Space space;
  for (int j = 0; j < d; ++j) space.add_float("x" + std::to_string(j), -1.0, 1.0);
  return space;
}

Options with(std::initializer_list<std::pair<const char*, OptionValue>> values) {
  Options options;
  for (const auto& [name, value] : values) options.set(name, value);
  return options;
}

TEST(GpStrategy, AutoProfileIsLocalFromTenFloatParametersOnAndExplicitOptionsOverrideIt) {
  const Space ten = floats(10), nine = floats(9);
  const auto auto_ten = first_suggestions(Options{}, ten, 16);
  EXPECT_EQ(auto_ten, first_suggestions(with({{"profile", std::string("local")}}), ten, 16));
  EXPECT_NE(auto_ten, first_suggestions(with({{"profile", std::string("global")}}), ten, 16));
  const auto auto_nine = first_suggestions(Options{}, nine, 22);
  EXPECT_EQ(auto_nine, first_suggestions(with({{"profile", std::string("global")}}), nine, 22));
  EXPECT_NE(auto_nine, first_suggestions(with({{"profile", std::string("local")}}), nine, 22));
  // The local profile with its three choices undone is the global one with its design size.
  EXPECT_EQ(first_suggestions(with({{"profile", std::string("local")},
                                    {"acquisition", std::string("logei")},
                                    {"trust_region", false}}),
                              ten, 16),
            first_suggestions(with({{"profile", std::string("global")}, {"n_initial", std::int64_t{10}}}), ten, 16));
}

TEST(GpStrategy, UnknownProfileIsAnInputErrorNamingTheOption) {
  try {
    GpStrategy gp(with({{"profile", std::string("turbo")}}), floats(2), 1);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("option 'profile': \"turbo\""), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace h5tune
