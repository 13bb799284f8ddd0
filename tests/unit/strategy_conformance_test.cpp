// Every strategy kind passes this suite: new kinds join through strategy_kinds().
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <sstream>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"
#include "h5tune/strategy.hpp"

namespace h5tune::strategy_conformance_test {
namespace {

Space mixed_space() {
  Space s;
  s.add_float("x", -2.0, 3.0)
      .add_float("lr", 1e-5, 1e-1, true)
      .add_int("n", -3, 4)
      .add_int("width", 1, 1000, true)
      .add_choice("act", {"relu", "tanh", "gelu"});
  return s;
}

// A bumpy deterministic objective, so adaptive strategies have something to learn from.
double objective(const std::vector<double>& v) {
  return std::sin(3.0 * v[0]) + std::log10(v[1]) * 0.1 + (v[2] - 1.0) * (v[2] - 1.0) * 0.05 +
         std::log(v[3]) * 0.01 + v[4] * 0.2;
}

TrialRecord finished(std::int64_t id, const Suggestion& s, TrialState state, double value) {
  TrialRecord t;
  t.id = id;
  t.seed = trial_seed(1, id);
  t.state = state;
  t.values = s.values;
  t.parent = s.parent;
  t.budget = s.budget;
  t.value = value;
  return t;
}

/// Drives one strategy through ask/tell rounds, telling complete results at once.
class Driver {
 public:
  Driver(std::string_view kind, std::uint64_t seed, const Space& space = mixed_space(),
         Options options = {})
      : strategy_(make_strategy(StrategyConfig{std::string(kind), std::move(options)}, space, seed)) {}

  /// Asks for up to n points, tells them all, returns them.
  std::vector<Suggestion> round(std::size_t n) {
    auto batch = strategy_->ask(n, {});
    for (const auto& s : batch) strategy_->tell(finished(next_id_++, s, TrialState::complete, objective(s.values)));
    return batch;
  }
  /// The values of the next `count` suggestions, one ask(1) + tell at a time.
  std::vector<std::vector<double>> sequence(std::size_t count) {
    std::vector<std::vector<double>> out;
    while (out.size() < count) {
      const auto batch = round(1);
      if (batch.empty()) break;
      out.push_back(batch.front().values);
    }
    return out;
  }
  Strategy& strategy() { return *strategy_; }
  void set_next_id(std::int64_t id) { next_id_ = id; }

 private:
  std::unique_ptr<Strategy> strategy_;
  std::int64_t next_id_ = 0;
};

class StrategyConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(StrategyConformance, KindNameAndOptionsAreRegistered) {
  Driver d(GetParam(), 1);
  EXPECT_EQ(d.strategy().kind(), GetParam());
  EXPECT_NO_THROW(strategy_options(GetParam()));
  EXPECT_FALSE(d.strategy().exhausted());
}

TEST_P(StrategyConformance, EverySuggestionIsInsideTheSpace) {
  const Space space = mixed_space();
  Driver d(GetParam(), 2);
  for (int k = 0; k < 60; ++k)
    for (const auto& s : d.round(3)) ASSERT_TRUE(space.contains(s.values)) << "round " << k;
}

// A local optimizer (CMA-ES) converges away from the ends the objective penalizes instead of
// exploring the whole box; it shows it reaches them when started wide.
Options exploring_options(const std::string& kind) {
  Options options;
  if (kind == "cmaes") options.set("sigma0", 1.0);
  return options;
}

TEST_P(StrategyConformance, CoversEveryChoiceAndBothIntegerEnds) {
  Driver d(GetParam(), 3, mixed_space(), exploring_options(GetParam()));
  std::set<double> choices, n_values, width_values;
  for (const auto& v : d.sequence(200)) {
    choices.insert(v[4]);
    n_values.insert(v[2]);
    width_values.insert(v[3]);
  }
  EXPECT_EQ(choices.size(), 3u);
  EXPECT_TRUE(n_values.count(-3) && n_values.count(4)) << "int ends of [-3, 4] not both seen";
  EXPECT_EQ(*width_values.begin(), 1.0) << "log int never reached its low end";
  EXPECT_GE(*width_values.rbegin(), 500.0) << "log int never came near its high end";
}

TEST_P(StrategyConformance, FailedTrialsAndNanValuesAreAccepted) {
  const Space space = mixed_space();
  Driver d(GetParam(), 4);
  std::int64_t id = 0;
  const TrialState states[] = {TrialState::failed, TrialState::complete, TrialState::pruned,
                               TrialState::interrupted};
  for (int k = 0; k < 20; ++k) {
    const auto batch = d.strategy().ask(2, {});
    for (const auto& s : batch) {
      const TrialState state = states[id % 4];
      const double value = state == TrialState::complete && id % 8 == 1
                               ? std::numeric_limits<double>::quiet_NaN()
                               : (state == TrialState::complete ? objective(s.values)
                                                                : TrialRecord::nan);
      ASSERT_NO_THROW(d.strategy().tell(finished(id++, s, state, value)));
    }
  }
  const auto more = d.strategy().ask(3, {});
  EXPECT_FALSE(more.empty());
  for (const auto& s : more) EXPECT_TRUE(space.contains(s.values));
}

TEST_P(StrategyConformance, PendingTrialsAreAccepted) {
  const Space space = mixed_space();
  Driver d(GetParam(), 5);
  std::vector<TrialRecord> pending;
  for (int k = 0; k < 5; ++k) {
    for (const auto& s : d.strategy().ask(2, pending)) {
      TrialRecord t = finished(static_cast<std::int64_t>(pending.size()), s, TrialState::running,
                               TrialRecord::nan);
      pending.push_back(t);
      ASSERT_TRUE(space.contains(s.values));
    }
  }
  EXPECT_FALSE(pending.empty());
}

TEST_P(StrategyConformance, SameSeedSameSequenceOtherSeedOtherSequence) {
  Driver a(GetParam(), 42), b(GetParam(), 42), c(GetParam(), 43);
  std::vector<std::vector<double>> sa, sb, sc;
  for (int k = 0; k < 15; ++k) {
    for (const auto& s : a.round(2)) sa.push_back(s.values);
    for (const auto& s : b.round(2)) sb.push_back(s.values);
    for (const auto& s : c.round(2)) sc.push_back(s.values);
  }
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa, sc);
}

TEST_P(StrategyConformance, SaveLoadContinuesExactlyAsAnUninterruptedRun) {
  Driver original(GetParam(), 7);
  original.sequence(20);
  std::stringstream checkpoint;
  original.strategy().save(checkpoint);
  const auto expected = original.sequence(50);
  ASSERT_EQ(expected.size(), 50u);

  // Built with another seed: the checkpoint alone must carry the whole state.
  Driver resumed(GetParam(), 99);
  resumed.strategy().load(checkpoint);
  resumed.set_next_id(20);
  EXPECT_EQ(resumed.sequence(50), expected);
}

TEST_P(StrategyConformance, LoadRejectsForeignCheckpoints) {
  Driver d(GetParam(), 8);
  std::stringstream garbage("definitely not a boost archive");
  EXPECT_THROW(d.strategy().load(garbage), InputError);

  const std::string other = GetParam() == "random" ? "grid" : "random";
  Driver foreign(other, 8);
  std::stringstream checkpoint;
  foreign.strategy().save(checkpoint);
  EXPECT_THROW(d.strategy().load(checkpoint), InputError);

  Space smaller;
  smaller.add_float("x", 0.0, 1.0);
  Driver same_kind_other_space(GetParam(), 8, smaller);
  std::stringstream small_checkpoint;
  same_kind_other_space.strategy().save(small_checkpoint);
  EXPECT_THROW(d.strategy().load(small_checkpoint), InputError);

  // A failed load leaves a usable strategy.
  EXPECT_FALSE(d.round(1).empty());
}

TEST_P(StrategyConformance, AskReturnsAtMostNAndAtLeastOneWhenFresh) {
  for (const std::size_t n : {std::size_t{1}, std::size_t{7}}) {
    Driver d(GetParam(), 9);
    const auto batch = d.strategy().ask(n, {});
    EXPECT_GE(batch.size(), 1u);
    EXPECT_LE(batch.size(), n);
  }
  Driver d(GetParam(), 9);
  EXPECT_TRUE(d.strategy().ask(0, {}).empty());
  EXPECT_FALSE(d.strategy().ask(1, {}).empty());
}

INSTANTIATE_TEST_SUITE_P(AllKinds, StrategyConformance, ::testing::ValuesIn(strategy_kinds()),
                         [](const auto& kind_info) { return kind_info.param; });

// The non-adaptive kinds never hold back points.
TEST(StrategyNonAdaptive, AskReturnsExactlyN) {
  for (const char* kind : {"random", "sobol", "grid"}) {
    Driver d(kind, 10);
    EXPECT_EQ(d.strategy().ask(1, {}).size(), 1u) << kind;
    EXPECT_EQ(d.strategy().ask(7, {}).size(), 7u) << kind;
    EXPECT_EQ(d.strategy().ask(0, {}).size(), 0u) << kind;
  }
}

TEST(StrategyRegistry, KnowsTheFirstKindsInDocOrder) {
  const auto kinds = strategy_kinds();
  ASSERT_GE(kinds.size(), 3u);
  EXPECT_EQ(kinds[0], "random");
  EXPECT_EQ(kinds[1], "grid");
  EXPECT_EQ(kinds[2], "sobol");
}

TEST(StrategyRegistry, UnknownKindsAndBadOptionsAreInputErrors) {
  const Space space = mixed_space();
  try {
    make_strategy(StrategyConfig{"annealing", {}}, space, 1);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown strategy kind 'annealing' (known: random, grid, sobol"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(strategy_options("annealing"), InputError);

  StrategyConfig typo{"grid", {}};
  typo.options.set("points", std::int64_t{3});
  try {
    make_strategy(typo, space, 1);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "strategy 'grid' has no option 'points' (options: points_per_axis, shuffle)");
  }
  StrategyConfig too_few{"grid", {}};
  too_few.options.set("points_per_axis", std::int64_t{1});
  EXPECT_THROW(make_strategy(too_few, space, 1), InputError);
  StrategyConfig wrong_type{"sobol", {}};
  wrong_type.options.set("scramble", std::string("yes"));
  EXPECT_THROW(make_strategy(wrong_type, space, 1), InputError);
  StrategyConfig random_with_option{"random", {}};
  random_with_option.options.set("skip", std::int64_t{1});
  EXPECT_THROW(make_strategy(random_with_option, space, 1), InputError);
}

TEST(StrategyRegistry, OptionSpecsHaveDocumentedDefaults) {
  const auto& grid = strategy_options("grid");
  ASSERT_EQ(grid.size(), 2u);
  EXPECT_EQ(grid[0].name, "points_per_axis");
  EXPECT_EQ(std::get<std::int64_t>(grid[0].default_value), 5);
  EXPECT_EQ(grid[0].min, 2.0);
  EXPECT_EQ(grid[1].name, "shuffle");
  EXPECT_TRUE(std::get<bool>(grid[1].default_value));
  const auto& sobol = strategy_options("sobol");
  ASSERT_EQ(sobol.size(), 2u);
  EXPECT_EQ(sobol[0].name, "scramble");
  EXPECT_TRUE(std::get<bool>(sobol[0].default_value));
  EXPECT_EQ(sobol[1].name, "skip");
  EXPECT_EQ(std::get<std::int64_t>(sobol[1].default_value), 0);
  EXPECT_TRUE(strategy_options("random").empty());
}

TEST(StrategyEmptySpace, NonAdaptiveKindsSuggestEmptyPoints) {
  const Space empty;
  for (const char* kind : {"random", "sobol"}) {
    Driver d(kind, 1, empty);
    const auto batch = d.strategy().ask(3, {});
    ASSERT_EQ(batch.size(), 3u) << kind;
    EXPECT_TRUE(batch[0].values.empty());
  }
  Driver grid("grid", 1, empty);  // the product of no axes has one point
  EXPECT_EQ(grid.strategy().ask(3, {}).size(), 1u);
  EXPECT_TRUE(grid.strategy().exhausted());
}

}  // namespace
}  // namespace h5tune::strategy_conformance_test
