// Hyperband: bracket layout, deterministic bracket choice that covers every bracket in
// proportion to its budget, and brackets that do not compete with each other.
#include <gtest/gtest.h>

#include <vector>

#include "h5tune/stopping.hpp"
#include "stopping/hyperband_rule.hpp"

namespace h5tune {
namespace {

using stopping::HyperbandRule;

TEST(StoppingHyperband, BracketsStartOneRungLaterEach) {
  const HyperbandRule rule(1, 27, 3, Direction::minimize);
  ASSERT_EQ(rule.bracket_count(), 4u);
  EXPECT_EQ(rule.bracket(0).rung_steps(), (std::vector<std::int64_t>{1, 3, 9}));
  EXPECT_EQ(rule.bracket(1).rung_steps(), (std::vector<std::int64_t>{3, 9}));
  EXPECT_EQ(rule.bracket(2).rung_steps(), (std::vector<std::int64_t>{9}));
  EXPECT_TRUE(rule.bracket(3).rung_steps().empty());  // runs every trial to the end
  // Optuna's budgets ceil(B eta^s / (s + 1)), s = B - 1 - b.
  EXPECT_EQ(rule.budget(0), 27.0);
  EXPECT_EQ(rule.budget(1), 12.0);
  EXPECT_EQ(rule.budget(2), 6.0);
  EXPECT_EQ(rule.budget(3), 4.0);

  EXPECT_EQ(HyperbandRule(1, 26, 3, Direction::minimize).bracket_count(), 3u);
  EXPECT_EQ(HyperbandRule(1, 2, 3, Direction::minimize).bracket_count(), 1u);
}

TEST(StoppingHyperband, BracketOfATrialIsDeterministicAndCoversAllInProportion) {
  const HyperbandRule a(1, 27, 3, Direction::minimize);
  const HyperbandRule b(1, 27, 3, Direction::maximize);
  const int trials = 20000;
  std::vector<int> counts(a.bracket_count(), 0);
  std::vector<int> first_seen(a.bracket_count(), -1);
  for (int id = 0; id < trials; ++id) {
    const auto bracket = a.bracket_of(id);
    ASSERT_EQ(bracket, b.bracket_of(id)) << "trial " << id;
    ASSERT_LT(bracket, a.bracket_count());
    ++counts[bracket];
    if (first_seen[bracket] < 0) first_seen[bracket] = id;
  }
  const double total = 27 + 12 + 6 + 4;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    EXPECT_GE(first_seen[k], 0) << "bracket " << k;
    EXPECT_LT(first_seen[k], 100) << "bracket " << k << " first used so late";
    EXPECT_NEAR(counts[k] / double(trials), a.budget(k) / total, 0.015) << "bracket " << k;
  }
}

TEST(StoppingHyperband, EveryRunOfTrialIdsIsSplitInProportionToTheBudgets) {
  const double total = 27 + 12 + 6 + 4;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const HyperbandRule rule(1, 27, 3, Direction::minimize, false, seed);
    for (const std::int64_t first : {0, 1000, 123456789}) {
      std::vector<int> counts(rule.bracket_count(), 0);
      for (std::int64_t n = 1; n <= 500; ++n) {
        ++counts[rule.bracket_of(first + n - 1)];
        for (std::size_t k = 0; k < counts.size(); ++k)
          ASSERT_NEAR(counts[k], n * rule.budget(k) / total, 3.0)
              << "seed " << seed << ", bracket " << k << " after " << n << " trials from id " << first;
      }
    }
  }
}

TEST(StoppingHyperband, TheStudySeedChoosesTheAssignment) {
  const HyperbandRule a(1, 27, 3, Direction::minimize, false, 7);
  const HyperbandRule again(1, 27, 3, Direction::minimize, true, 7);
  const HyperbandRule other(1, 27, 3, Direction::minimize, false, 8);
  int differ = 0;
  for (std::int64_t id = 0; id < 200; ++id) {
    ASSERT_EQ(a.bracket_of(id), again.bracket_of(id)) << "trial " << id;
    differ += a.bracket_of(id) != other.bracket_of(id);
  }
  EXPECT_GT(differ, 50);
}

// The first `count` trial ids that fall in bracket `bracket`.
std::vector<std::int64_t> ids_in(const HyperbandRule& rule, std::size_t bracket, std::size_t count) {
  std::vector<std::int64_t> ids;
  for (std::int64_t id = 0; ids.size() < count; ++id)
    if (rule.bracket_of(id) == bracket) ids.push_back(id);
  return ids;
}

TEST(StoppingHyperband, EachBracketIsItsOwnAsha) {
  HyperbandRule rule(1, 27, 3, Direction::minimize);
  const auto b0 = ids_in(rule, 0, 2);
  const auto b1 = ids_in(rule, 1, 2);
  const auto b3 = ids_in(rule, 3, 1);
  // Bracket 0 judges at step 1: the second, worse trial stops.
  EXPECT_FALSE(rule.should_stop(b0[0], 1, 1.0));
  EXPECT_TRUE(rule.should_stop(b0[1], 1, 2.0));
  // Bracket 1 first judges at step 3, and does not see bracket 0's values.
  EXPECT_FALSE(rule.should_stop(b1[0], 1, 50.0));
  EXPECT_FALSE(rule.should_stop(b1[0], 3, 40.0));
  EXPECT_TRUE(rule.should_stop(b1[1], 3, 41.0));
  EXPECT_EQ(rule.bracket(0).rung_size(0), 2u);
  EXPECT_EQ(rule.bracket(1).rung_size(0), 2u);
  // The last bracket never stops a trial.
  for (std::int64_t step = 1; step <= 27; ++step) EXPECT_FALSE(rule.should_stop(b3[0], step, 1e9));
  TrialRecord done;
  done.id = b3[0];
  done.state = TrialState::complete;
  rule.finished(done);
}

TEST(StoppingHyperband, SharedRungsJudgeATrialAgainstEveryTrialSeenAtItsRung) {
  HyperbandRule plain(1, 27, 3, Direction::minimize);
  HyperbandRule shared(1, 27, 3, Direction::minimize, true);
  const auto b0 = ids_in(shared, 0, 3);
  const auto b1 = ids_in(shared, 1, 1);
  const auto b2 = ids_in(shared, 2, 1);
  for (HyperbandRule* rule : {&plain, &shared}) {
    // Two bracket-0 trials pass steps 1 and 3 (the second is stopped at step 1, after
    // reporting 5.0 there); the first reaches step 3 at 1.0.
    EXPECT_FALSE(rule->should_stop(b0[0], 1, 2.0));
    EXPECT_TRUE(rule->should_stop(b0[1], 1, 5.0));
    EXPECT_FALSE(rule->should_stop(b0[0], 3, 1.0));
  }
  // A bracket-1 trial first judged at step 3 with 2.0: alone in its bracket's rung it goes
  // on; against bracket 0's 1.0 there (2 values, top 1/3 = the best only) it stops.
  EXPECT_FALSE(plain.should_stop(b1[0], 1, 3.0));
  EXPECT_FALSE(plain.should_stop(b1[0], 3, 2.0));
  EXPECT_FALSE(shared.should_stop(b1[0], 1, 3.0));
  EXPECT_TRUE(shared.should_stop(b1[0], 3, 2.0));
  EXPECT_EQ(shared.bracket(1).rung_size(0), 2u);
  // Bracket 1's own decisions still decide: its rung at step 1 does not exist, and bracket
  // 0's rung at step 1 got bracket 1's value (3.0) without judging it: 3 values there now.
  EXPECT_EQ(shared.bracket(0).rung_size(0), 3u);
  EXPECT_EQ(plain.bracket(0).rung_size(0), 2u);
  // A stopped trial's later reports are ignored: nothing more is filed anywhere.
  EXPECT_TRUE(shared.should_stop(b1[0], 9, 0.5));
  EXPECT_EQ(shared.bracket(2).rung_size(0), 0u);
  // Reports that skip a rung step still file the value at the steps passed (here 1 and 3
  // in bracket 0's rungs, 3 in bracket 1's; bracket 2 judges at 9 only).
  EXPECT_FALSE(shared.should_stop(b2[0], 4, 7.0));
  EXPECT_EQ(shared.bracket(0).rung_size(0), 4u);
  EXPECT_EQ(shared.bracket(0).rung_size(1), 3u);  // 1.0, 2.0 (bracket 1) and 7.0
  EXPECT_EQ(shared.bracket(1).rung_size(0), 3u);
  EXPECT_FALSE(shared.should_stop(b2[0], 9, 7.0)) << "first value in bracket 2's rung at 9";
  EXPECT_EQ(shared.bracket(0).rung_size(2), 1u);
}

}  // namespace
}  // namespace h5tune
