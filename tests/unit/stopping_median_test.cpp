// The median rule (Optuna's MedianPruner) against a hand-worked example.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "h5tune/stopping.hpp"
#include "stopping/median_rule.hpp"
#include "stopping/ordered_values.hpp"
#include "support/trial_record.hpp"

namespace h5tune {
namespace {

using stopping::MedianRule;

// warmup_trials 2, warmup_steps 1. Completed curves:
//   trial 0: step 1 -> 10, step 2 -> 8, step 3 -> 6
//   trial 1: step 1 -> 12, step 2 -> 9
//   trial 2: step 1 -> 11             (completes later)
// Medians with trials 0 and 1: step 1 -> 11, step 2 -> 8.5, step 3 -> 6.
// Trial 5 fails: its values never count.
void check_median_example(Direction direction) {
  const double sign = direction == Direction::minimize ? 1.0 : -1.0;
  MedianRule rule(2, 1, direction);
  const auto stop = [&](std::int64_t trial, std::int64_t step, double value) {
    return rule.should_stop(trial, step, sign * value);
  };
  const auto curve = [&](std::int64_t trial, const std::map<std::int64_t, double>& values) {
    for (const auto& [step, value] : values) ASSERT_FALSE(stop(trial, step, value));
  };
  curve(0, {{1, 10.0}, {2, 8.0}, {3, 6.0}});
  curve(1, {{1, 12.0}, {2, 9.0}});
  curve(2, {{1, 11.0}});
  curve(5, {{1, 0.1}, {2, 0.1}});
  EXPECT_FALSE(stop(3, 1, 100.0));  // no trial completed yet
  rule.finished(test::ended_trial(0));
  rule.finished(test::ended_trial(5, TrialState::failed));
  EXPECT_FALSE(stop(3, 2, 100.0));  // one completed trial: still warming up
  rule.finished(test::ended_trial(1));

  // Trial 3's best so far is 50 > 8.5: stop, and stay stopped.
  EXPECT_TRUE(stop(3, 2, 50.0));
  EXPECT_TRUE(stop(3, 3, 0.0));

  EXPECT_FALSE(stop(4, 0, 100.0));  // below warmup_steps
  EXPECT_FALSE(stop(4, 1, 11.0));   // equal to the median (11) is not worse
  EXPECT_TRUE(stop(4, 2, 8.6));     // best 8.6 > 8.5

  EXPECT_TRUE(stop(6, 3, 7.0));    // median at step 3 is trial 0's 6
  EXPECT_FALSE(stop(7, 3, 5.9));
  EXPECT_FALSE(stop(7, 4, 100.0));  // no completed trial reported at step 4

  // The best value so far decides, not the latest: 8 at step 1 carries trial 11 past
  // step 2's median although it reports 20 there.
  EXPECT_FALSE(stop(11, 1, 8.0));
  EXPECT_FALSE(stop(11, 2, 20.0));

  rule.finished(test::ended_trial(2));  // step 1 now holds 10, 11, 12: median 11
  EXPECT_TRUE(stop(8, 1, 11.5));
  EXPECT_FALSE(stop(9, 1, 10.5));

  EXPECT_TRUE(stop(12, 1, std::nan("")));  // nothing but NaN so far
}

TEST(StoppingMedian, HandExampleMinimize) { check_median_example(Direction::minimize); }
TEST(StoppingMedian, HandExampleMaximize) { check_median_example(Direction::maximize); }

TEST(StoppingMedian, WarmupTrialsCountCompletedTrialsWithoutReports) {
  MedianRule rule(1, 0, Direction::minimize);
  rule.finished(test::ended_trial(0));  // completed, never reported
  EXPECT_FALSE(rule.should_stop(1, 1, 5.0));  // no completed value at step 1
  ASSERT_FALSE(rule.should_stop(2, 1, 1.0));
  rule.finished(test::ended_trial(2));
  EXPECT_TRUE(rule.should_stop(3, 1, 5.0));
}

TEST(StoppingOrderedValues, AgreesWithASortedVector) {
  stopping::OrderedValues values;
  std::vector<double> sorted;
  std::uint64_t state = 7;
  for (int i = 0; i < 2000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double value = static_cast<double>(state >> 54);  // many duplicates
    values.insert(value);
    sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), value), value);
    if (i % 97 != 0) continue;
    for (std::size_t k = 0; k < sorted.size(); k += 13) ASSERT_EQ(values.nth(k), sorted[k]);
    for (const double probe : {-1.0, 0.0, 100.0, 512.0, 1024.0})
      ASSERT_EQ(values.count_less(probe),
                static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), probe) - sorted.begin()));
    const std::size_t n = sorted.size();
    const double median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    ASSERT_EQ(values.median(), median);
  }
}

}  // namespace
}  // namespace h5tune
