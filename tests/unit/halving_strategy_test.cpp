// successive_halving: rung layout, promotions worked by hand, Hyperband's brackets,
// failures and checkpoint release.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "h5tune/error.hpp"
#include "strategy/halving/halving_strategy.hpp"
#include "strategy/random_strategy.hpp"
#include "support/every_kind_space.hpp"
#include "support/trial_record.hpp"

namespace h5tune {
namespace {

Options halving_options(std::int64_t min_resource, std::int64_t max_resource, std::int64_t brackets,
                        std::int64_t configs, const std::string& direction = "minimize") {
  Options o;
  o.set("min_resource", min_resource);
  o.set("max_resource", max_resource);
  o.set("reduction_factor", std::int64_t{3});
  o.set("brackets", brackets);
  o.set("configs", configs);
  o.set("direction", direction);
  return o;
}

TrialRecord told(std::int64_t id, const Suggestion& s, double value, TrialState state = TrialState::complete) {
  return test::told_suggestion(id, s, value, state);
}

TEST(SuccessiveHalving, RungsAreHyperbandsBrackets) {
  const Space space = test::every_kind_space();
  const HalvingStrategy all(halving_options(1, 27, 0, 0), space, 1);
  ASSERT_EQ(all.bracket_count(), 4u);
  EXPECT_EQ(all.rung_steps(0), (std::vector<std::int64_t>{1, 3, 9, 27}));
  EXPECT_EQ(all.rung_steps(1), (std::vector<std::int64_t>{3, 9, 27}));
  EXPECT_EQ(all.rung_steps(2), (std::vector<std::int64_t>{9, 27}));
  EXPECT_EQ(all.rung_steps(3), (std::vector<std::int64_t>{27}));  // trains to the end at once
  EXPECT_EQ(HalvingStrategy(halving_options(1, 27, 1, 0), space, 1).bracket_count(), 1u);
  EXPECT_EQ(HalvingStrategy(halving_options(2, 20, 1, 0), space, 1).rung_steps(0),
            (std::vector<std::int64_t>{2, 6, 18, 20}));

  EXPECT_THROW(HalvingStrategy(halving_options(1, 27, 5, 0), space, 1), InputError);  // only 4 brackets
  EXPECT_THROW(HalvingStrategy(halving_options(27, 27, 1, 0), space, 1), InputError);
}

// The largest resources the options allow: no rung step is computed past max_resource, so
// nothing overflows (UBSan checks this in CI).
TEST(SuccessiveHalving, HugeResourcesAndFactorDoNotOverflow) {
  Options o = halving_options(500'000'000'000'000, 1'000'000'000'000'000, 0, 0);
  o.set("reduction_factor", std::int64_t{1'000'000});
  const HalvingStrategy huge(o, test::every_kind_space(), 1);
  ASSERT_EQ(huge.bracket_count(), 1u);
  EXPECT_EQ(huge.rung_steps(0), (std::vector<std::int64_t>{500'000'000'000'000, 1'000'000'000'000'000}));
}

// Successive halving of 9 configurations over rungs at 1, 3 and 9 steps, one worker: every
// configuration trains 1 step; after each 3 of them the best not yet promoted goes on for 2
// more steps from its checkpoint; after 3 of those, the best trains its last 6.
TEST(SuccessiveHalving, OneWorkerIsSuccessiveHalvingByHand) {
  const Space space = test::every_kind_space();
  HalvingStrategy strategy(halving_options(1, 9, 1, 9), space, 5);
  RandomStrategy random(Options{}, space, 5);
  // Configuration c scores quality[c] at every rung: the ranking never changes.
  const std::vector<double> quality{5, 1, 3, 8, 2, 7, 0.5, 6, 4};
  std::map<std::int64_t, std::size_t> config_of;  // trial id -> configuration
  std::map<std::int64_t, std::int64_t> reached;   // trial id -> steps trained so far
  std::vector<std::int64_t> rung_counts(3, 0);
  std::int64_t id = 0, steps = 0, new_configs = 0;
  std::vector<std::pair<std::size_t, std::int64_t>> promotions;  // configuration, steps reached
  std::vector<std::vector<double>> values;                       // per configuration
  while (!strategy.exhausted()) {
    const auto asked = strategy.ask(1, {});
    ASSERT_EQ(asked.size(), 1u) << "one worker is never left waiting";
    const Suggestion& s = asked[0];
    std::size_t config;
    if (s.parent < 0) {
      config = static_cast<std::size_t>(new_configs++);
      EXPECT_EQ(s.values, random.ask(1, {})[0].values) << "configuration k is random search's trial k";
      values.push_back(s.values);
      EXPECT_EQ(s.budget, 1);
      reached[id] = 1;
    } else {
      config = config_of.at(s.parent);
      EXPECT_EQ(s.values, values[config]) << "a promotion keeps its configuration";
      reached[id] = reached.at(s.parent) + s.budget;
      const std::size_t from = reached.at(s.parent) == 1 ? 0 : 1;
      EXPECT_GE(rung_counts[from], 3) << "never promoted from a rung with fewer than eta results";
      promotions.emplace_back(config, reached.at(s.parent));
    }
    EXPECT_EQ(s.seed_of, static_cast<std::int64_t>(config)) << "every trial of configuration k has trial k's seed";
    config_of[id] = config;
    steps += s.budget;
    ++rung_counts[reached[id] == 1 ? 0 : reached[id] == 3 ? 1 : 2];
    strategy.tell(told(id, s, quality[config] + 1.0 / static_cast<double>(reached[id])));
    ++id;
    ASSERT_LT(id, 100);
  }
  EXPECT_EQ(id, 9 + 3 + 1);
  EXPECT_EQ(steps, 9 * 1 + 3 * 2 + 1 * 6);
  EXPECT_EQ(rung_counts, (std::vector<std::int64_t>{9, 3, 1}));
  // After configurations 0-2: 1 (the best of 5, 1, 3); after 3-5, the top 2 of 6 at the
  // first rung: 4 (2 beats all but 1); after 6, the top 2 of 7: 6 (0.5); the rung at 3
  // then holds 3 results (configurations 1, 4, 6) and its best, 6, trains to the end.
  // Configurations 7 and 8 are not in the top 3 of 9.
  EXPECT_EQ(promotions, (std::vector<std::pair<std::size_t, std::int64_t>>{{1, 1}, {4, 1}, {6, 1}, {6, 3}}));
  EXPECT_TRUE(strategy.ask(4, {}).empty());
}

TEST(SuccessiveHalving, MaximizingPromotesTheLargest) {
  const Space space = test::every_kind_space();
  HalvingStrategy strategy(halving_options(1, 3, 1, 0, "maximize"), space, 2);
  const auto first = strategy.ask(3, {});
  ASSERT_EQ(first.size(), 3u);
  for (std::int64_t i = 0; i < 3; ++i) strategy.tell(told(i, first[static_cast<std::size_t>(i)], double(i == 2)));
  const auto next = strategy.ask(1, {});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].parent, 2);
  EXPECT_EQ(next[0].budget, 2);
}

TEST(SuccessiveHalving, FailuresEndAConfigurationAndFreeCheckpoints) {
  const Space space = test::every_kind_space();
  HalvingStrategy strategy(halving_options(1, 3, 1, 0), space, 3);
  const auto first = strategy.ask(4, {});
  ASSERT_EQ(first.size(), 4u);
  strategy.tell(told(0, first[0], 1.0));
  strategy.tell(told(1, first[1], 0, TrialState::failed));
  strategy.tell(told(2, first[2], TrialRecord::nan));  // a NaN value is a failure too
  strategy.tell(told(3, first[3], 2.0));
  EXPECT_EQ(strategy.released_checkpoints(), (std::vector<std::int64_t>{1, 2}));
  // Two results at the rung: not yet 3, nothing to promote.
  const auto fresh = strategy.ask(1, {});
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0].parent, -1);
  strategy.tell(told(4, fresh[0], 3.0));
  const auto promoted = strategy.ask(1, {});
  ASSERT_EQ(promoted.size(), 1u);
  EXPECT_EQ(promoted[0].parent, 0);
  EXPECT_TRUE(strategy.released_checkpoints().empty()) << "trial 0's checkpoint is being restored";
  strategy.tell(told(5, promoted[0], 0.5));
  EXPECT_EQ(strategy.released_checkpoints(), (std::vector<std::int64_t>{0}));
}

TEST(SuccessiveHalving, InterruptedTrialsStayPending) {
  const Space space = test::every_kind_space();
  HalvingStrategy strategy(halving_options(1, 3, 1, 1), space, 4);
  const auto first = strategy.ask(1, {});
  strategy.tell(told(0, first[0], 0, TrialState::interrupted));
  EXPECT_FALSE(strategy.exhausted()) << "a resumed run re-runs trial 0";
  strategy.tell(told(0, first[0], 1.0));
  EXPECT_TRUE(strategy.exhausted());
}

TEST(SuccessiveHalving, HyperbandDealsConfigurationsToBracketsByBudget) {
  const Space space = test::every_kind_space();
  HalvingStrategy strategy(halving_options(1, 27, 0, 0), space, 6);
  std::map<std::int64_t, int> first_budgets;  // a new configuration's budget names its bracket
  const auto asked = strategy.ask(490, {});
  for (const auto& s : asked) {
    ASSERT_EQ(s.parent, -1);
    ++first_budgets[s.budget];
  }
  // Budgets 27 : 12 : 6 : 4 of 49, for first rungs at 1, 3, 9 and 27 steps.
  EXPECT_NEAR(first_budgets[1], 270, 3);
  EXPECT_NEAR(first_budgets[3], 120, 3);
  EXPECT_NEAR(first_budgets[9], 60, 3);
  EXPECT_NEAR(first_budgets[27], 40, 3);
}

}  // namespace
}  // namespace h5tune
