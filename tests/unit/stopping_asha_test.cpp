// ASHA as a stopping rule, against a hand-worked example: rungs at steps 1 and 3
// (min_resource 1, max_resource 9, eta 3), trials reporting in a known order.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "h5tune/error.hpp"
#include "h5tune/stopping.hpp"
#include "stopping/asha_rule.hpp"
#include "support/trial_record.hpp"

namespace h5tune {
namespace {

using stopping::AshaRule;

TEST(StoppingAsha, RungsSitAtPowersOfEtaBelowTheMaximum) {
  EXPECT_EQ(AshaRule(1, 9, 3, Direction::minimize).rung_steps(), (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(AshaRule(1, 10, 3, Direction::minimize).rung_steps(), (std::vector<std::int64_t>{1, 3, 9}));
  EXPECT_EQ(AshaRule(2, 100, 4, Direction::minimize).rung_steps(), (std::vector<std::int64_t>{2, 8, 32}));
  EXPECT_EQ(AshaRule(1, 27, 3, Direction::minimize, 2).rung_steps(), (std::vector<std::int64_t>{9}));
  EXPECT_TRUE(AshaRule(1, 27, 3, Direction::minimize, 3).rung_steps().empty());
  // No overflow near the top of the integers.
  EXPECT_EQ(stopping::rung_steps(1, INT64_MAX, 2, 0).size(), 63u);
}

// Rung 0 (step 1), values in arrival order; with n values filed, a trial goes on when at
// most max(1, n/3) - 1 values are strictly better than its own.
//   trial value  n  may be beaten by  beaten by  decision
//   0     5.0    1  0                 0          continue
//   1     6.0    2  0                 1 (5)      stop
//   2     4.0    3  0                 0          continue
//   3     4.5    4  0                 1 (4)      stop
//   4     3.0    5  0                 0          continue
//   5     4.2    6  1                 2 (3, 4)   stop
//   6     3.5    7  1                 1 (3)      continue
//   7     5.5    8  1                 5          stop
//   8     3.9    9  2                 2 (3, 3.5) continue
// Rung 1 (step 3): trial 0 at 2.0 (n 1) continues, trial 2 at 2.5 (n 2, beaten by 2.0)
// stops, trial 4 at 1.0 (n 3) continues.
void check_asha_example(Direction direction) {
  const double sign = direction == Direction::minimize ? 1.0 : -1.0;
  AshaRule rule(1, 9, 3, direction);
  const auto stop = [&](std::int64_t trial, std::int64_t step, double value) {
    return rule.should_stop(trial, step, sign * value);
  };
  const std::vector<std::pair<double, bool>> rung0 = {{5.0, false}, {6.0, true},  {4.0, false},
                                                       {4.5, true},  {3.0, false}, {4.2, true},
                                                       {3.5, false}, {5.5, true},  {3.9, false}};
  for (std::size_t id = 0; id < rung0.size(); ++id)
    EXPECT_EQ(stop(static_cast<std::int64_t>(id), 1, rung0[id].first), rung0[id].second) << "trial " << id;
  EXPECT_EQ(rule.rung_size(0), 9u);

  EXPECT_FALSE(stop(0, 2, 9.0));  // between rungs: no decision, whatever the value
  EXPECT_FALSE(stop(0, 3, 2.0));
  EXPECT_FALSE(stop(2, 2, 3.0));
  EXPECT_TRUE(stop(2, 3, 2.5));
  EXPECT_FALSE(stop(4, 3, 1.0));
  EXPECT_EQ(rule.rung_size(1), 3u);

  // Past the last rung nothing stops: the budget is spent anyway.
  EXPECT_FALSE(stop(0, 8, 100.0));
  EXPECT_FALSE(stop(0, 9, 100.0));

  // A stopped trial stays stopped, and its late reports are not filed anywhere.
  EXPECT_TRUE(stop(1, 2, 0.0));
  EXPECT_TRUE(stop(1, 3, 0.0));
  EXPECT_EQ(rule.rung_size(0), 9u);
  EXPECT_EQ(rule.rung_size(1), 3u);

  // A first report past both rungs is filed in each: rung 0 (n 10, may be beaten by 2,
  // is beaten by none) and rung 1 (n 4, beaten by none).
  EXPECT_FALSE(stop(9, 4, 0.5));
  EXPECT_EQ(rule.rung_size(0), 10u);
  EXPECT_EQ(rule.rung_size(1), 4u);

  // A tie with the best value goes on: only strictly better values count.
  EXPECT_FALSE(stop(10, 1, 0.5));
}

TEST(StoppingAsha, HandExampleMinimize) { check_asha_example(Direction::minimize); }
TEST(StoppingAsha, HandExampleMaximize) { check_asha_example(Direction::maximize); }

TEST(StoppingAsha, NanAtARungStops) {
  AshaRule rule(1, 9, 3, Direction::minimize);
  EXPECT_FALSE(rule.should_stop(0, 1, 1.0));
  EXPECT_FALSE(rule.should_stop(1, 0, std::nan("")));  // below the first rung: no decision
  EXPECT_TRUE(rule.should_stop(1, 1, std::nan("")));
  EXPECT_EQ(rule.rung_size(0), 1u);
}

TEST(StoppingAsha, AFinishedTrialIsForgotten) {
  AshaRule rule(1, 9, 3, Direction::minimize);
  EXPECT_FALSE(rule.should_stop(0, 1, 1.0));
  EXPECT_TRUE(rule.should_stop(1, 1, 2.0));
  rule.finished(test::ended_trial(1, TrialState::pruned));
  rule.finished(test::ended_trial(0));
  // Values filed stay: they are the rung's history.
  EXPECT_EQ(rule.rung_size(0), 2u);
  EXPECT_TRUE(rule.should_stop(2, 1, 1.5));
}

TEST(StoppingAsha, MakeStoppingRuleChecksTheConfig) {
  StoppingConfig config;
  config.kind = StoppingKind::asha;
  EXPECT_THROW(make_stopping_rule(config, Direction::minimize), InputError);  // no max_resource
  config.max_resource = 27;
  const auto rule = make_stopping_rule(config, Direction::minimize);
  EXPECT_EQ(rule->kind(), StoppingKind::asha);
  config.reduction_factor = 1;
  EXPECT_NE(check_stopping_config(config).find("reduction_factor"), std::string::npos);
}

}  // namespace
}  // namespace h5tune
