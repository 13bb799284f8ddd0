// Population Based Training: exploit, explore, generations, failures and checkpoint release.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "h5tune/seed.hpp"
#include "strategy/pbt/pbt_strategy.hpp"
#include "strategy/pbt/perturb.hpp"
#include "support/every_kind_space.hpp"
#include "support/trial_record.hpp"

namespace h5tune {
namespace {

Options pbt_options(std::int64_t population, std::int64_t interval = 5, std::int64_t generations = 0) {
  Options o;
  o.set("population", population);
  o.set("interval", interval);
  o.set("generations", generations);
  return o;
}

bool perturbed_number(const Parameter& p, double from, double to) {
  for (const double f : {0.8, 1.2}) {
    double moved = from * f;
    if (p.kind == ParamKind::integer) {
      moved = std::round(moved);
      if (moved == from) {
        const double direction = from == 0.0 ? (f > 1.0 ? 1.0 : -1.0) : (from * f > from ? 1.0 : -1.0);
        moved = from + direction;
        if (moved < p.low || moved > p.high) moved = from - direction;
      }
    }
    if (std::clamp(moved, p.low, p.high) == to) return true;
  }
  return false;
}

TEST(PbtExplore, StaysInsideTheSpaceAndMovesByTheFactorsOrToANeighbour) {
  const Space space = test::every_kind_space();
  Rng rng(3);
  for (int k = 0; k < 3000; ++k) {
    auto parent = pbt::random_point(space, rng);
    if (k % 4 == 0) parent = space.from_unit(std::vector<double>(space.size(), k % 8 ? 1.0 : 0.0));  // on the bounds
    const auto child = pbt::explore(space, parent, {0.0, 0.8, 1.2}, rng);
    ASSERT_TRUE(space.contains(child));
    for (std::size_t j = 0; j < space.size(); ++j) {
      const Parameter& p = space[j];
      if (p.kind == ParamKind::categorical) {
        EXPECT_EQ(std::fabs(child[j] - parent[j]), 1.0) << p.name << ": not a neighbouring choice";
      } else {
        EXPECT_TRUE(perturbed_number(p, parent[j], child[j]))
            << p.name << ": " << parent[j] << " -> " << child[j] << " is no 0.8/1.2 perturbation";
      }
    }
  }
  // Resampling everything: still inside, and it reaches values no perturbation could.
  std::set<double> widths;
  for (int k = 0; k < 500; ++k) {
    const auto child = pbt::explore(space, space.from_unit(std::vector<double>(space.size(), 0.5)), {1.0, 0.8, 1.2}, rng);
    ASSERT_TRUE(space.contains(child));
    widths.insert(child[4]);
  }
  EXPECT_GT(widths.size(), 50u);
}

TEST(PbtExplore, IntegersAlwaysMove) {
  Space space;
  space.add_int("n", 1, 10);
  Rng rng(4);
  for (int k = 0; k < 200; ++k) {
    const auto child = pbt::explore(space, {1.0}, {0.0, 0.8, 1.2}, rng);
    EXPECT_EQ(child[0], 2.0);  // both factors round back to 1; one unit up (down is out of bounds)
  }
}

TEST(Pbt, FirstSegmentsStartFromScratchWithTheIntervalAsBudget) {
  const Space space = test::every_kind_space();
  PbtStrategy pbt(pbt_options(4, 7), space, 1);
  const auto first = pbt.ask(10, {});
  ASSERT_EQ(first.size(), 4u);  // one per member, then nothing until a result
  for (const auto& s : first) {
    EXPECT_EQ(s.parent, -1);
    EXPECT_EQ(s.budget, 7);
    EXPECT_TRUE(space.contains(s.values));
  }
  EXPECT_TRUE(pbt.ask(1, {}).empty());
}

TEST(Pbt, BottomMemberCopiesTheLatestCheckpointOfATopMember) {
  const Space space = test::every_kind_space();
  PbtStrategy pbt(pbt_options(4), space, 2);
  const auto first = pbt.ask(4, {});  // trials 0..3
  ASSERT_EQ(first.size(), 4u);
  // Told one by one, each ranked against the scores known then (minimize).
  pbt.tell(test::told_suggestion(0, first[0], 1.0));  // alone: continues
  pbt.tell(test::told_suggestion(1, first[1], 5.0));  // of 2, the bottom one: copies member 0
  pbt.tell(test::told_suggestion(2, first[2], 0.5));  // best: continues
  pbt.tell(test::told_suggestion(3, first[3], 0.7));  // of 4, second: continues (bottom is member 1)
  const auto next = pbt.ask(4, {});    // trials 4..7, members in the order they became ready
  ASSERT_EQ(next.size(), 4u);
  EXPECT_EQ(next[0].parent, 0);
  EXPECT_EQ(next[0].values, first[0].values);
  EXPECT_EQ(next[1].parent, 0) << "the bottom member must restore the top member's checkpoint";
  EXPECT_NE(next[1].values, first[0].values) << "explore changes the copied hyperparameters";
  EXPECT_EQ(next[2].parent, 2);
  EXPECT_EQ(next[2].values, first[2].values);
  EXPECT_EQ(next[3].parent, 3);
  EXPECT_EQ(pbt.members()[1].generation, 1);

  // Member 3 falls to the bottom of 4: it copies member 2 (the only top member, quantile 1/4).
  pbt.tell(test::told_suggestion(6, next[2], 0.1));
  pbt.tell(test::told_suggestion(7, next[3], 9.0));
  const auto after = pbt.ask(2, {});
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].parent, 6);
  EXPECT_EQ(after[1].parent, 6);
  EXPECT_EQ(pbt.members()[3].generation, 2);
}

TEST(Pbt, MaximizingCopiesTheLargestValue) {
  const Space space = test::every_kind_space();
  Options options = pbt_options(2);
  options.set("direction", std::string("maximize"));
  PbtStrategy pbt(options, space, 3);
  const auto first = pbt.ask(2, {});
  pbt.tell(test::told_suggestion(0, first[0], 0.9));
  pbt.tell(test::told_suggestion(1, first[1], 0.1));  // the smaller accuracy: bottom of 2
  const auto next = pbt.ask(2, {});
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].parent, 0);
  EXPECT_EQ(next[1].parent, 0);
}

TEST(Pbt, FailedSegmentsRestartFromATopMemberOrRetryWithNewHyperparameters) {
  const Space space = test::every_kind_space();
  PbtStrategy pbt(pbt_options(3), space, 4);
  const auto first = pbt.ask(3, {});
  pbt.tell(test::told_suggestion(0, first[0], 0.0, TrialState::failed));  // nobody scored yet: from scratch
  const auto retry = pbt.ask(1, {});
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0].parent, -1);
  EXPECT_NE(retry[0].values, first[0].values);
  pbt.tell(test::told_suggestion(1, first[1], 2.0));
  pbt.tell(test::told_suggestion(2, first[2], 1.0));
  // A NaN value counts as a failure: copies member 2.
  pbt.tell(test::told_suggestion(3, retry[0], std::nan("")));
  const auto next = pbt.ask(3, {});
  ASSERT_EQ(next.size(), 3u);
  EXPECT_EQ(next.back().parent, 2);
  const auto released = pbt.released_checkpoints();
  EXPECT_TRUE(std::count(released.begin(), released.end(), 0) && std::count(released.begin(), released.end(), 3))
      << "failed segments' checkpoints are released";
}

TEST(Pbt, InterruptedSegmentsRunAgainUnchanged) {
  const Space space = test::every_kind_space();
  PbtStrategy pbt(pbt_options(2), space, 5);
  const auto first = pbt.ask(2, {});
  pbt.tell(test::told_suggestion(0, first[0], 1.0));
  const auto second = pbt.ask(1, {});  // trial 2
  pbt.tell(test::told_suggestion(2, second[0], 0.0, TrialState::interrupted));
  const auto again = pbt.ask(1, {});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].values, second[0].values);
  EXPECT_EQ(again[0].parent, second[0].parent);
}

/// Runs a population to its end with a noisy objective; returns every trial in id order.
/// With `released`, collects the released checkpoints and checks none of them is restored
/// by a segment asked or still running after its release.
std::vector<TrialRecord> run_population(PbtStrategy& pbt, std::size_t workers, std::int64_t max_trials,
                                        std::vector<std::int64_t>* released = nullptr) {
  std::vector<TrialRecord> trials;
  std::vector<TrialRecord> running;
  std::set<std::int64_t> gone;
  Rng noise(9);
  while (static_cast<std::int64_t>(trials.size()) < max_trials && !pbt.exhausted()) {
    if (running.size() < workers) {
      for (const auto& s : pbt.ask(workers - running.size(), running)) {
        TrialRecord t =
            test::told_suggestion(static_cast<std::int64_t>(trials.size()), s, 0.0, TrialState::running);
        EXPECT_FALSE(gone.count(t.parent)) << "trial " << t.id << " restores released checkpoint " << t.parent;
        trials.push_back(t);
        running.push_back(t);
      }
    }
    if (running.empty()) break;
    // Finish a random running trial: results arrive out of order.
    const auto at = static_cast<std::size_t>(uniform01(noise) * static_cast<double>(running.size()));
    TrialRecord done = running[at];
    running.erase(running.begin() + static_cast<std::ptrdiff_t>(at));
    done.state = TrialState::complete;
    done.value = std::sin(done.values[0]) + 0.1 * uniform01(noise);
    trials[static_cast<std::size_t>(done.id)] = done;
    pbt.tell(done);
    if (!released) continue;
    for (const auto id : pbt.released_checkpoints()) {
      EXPECT_TRUE(gone.insert(id).second) << "checkpoint " << id << " released twice";
      released->push_back(id);
    }
    for (const auto& t : running)
      EXPECT_FALSE(gone.count(t.parent)) << "running trial " << t.id << " lost its checkpoint " << t.parent;
  }
  return trials;
}

TEST(Pbt, LineageIsATreeRootedAtTheInitialPopulation) {
  const Space space = test::every_kind_space();
  PbtStrategy pbt(pbt_options(6, 5, 0), space, 6);
  const auto trials = run_population(pbt, 3, 120);
  ASSERT_EQ(trials.size(), 120u);
  std::vector<std::int64_t> generation(trials.size(), -1);
  for (const auto& t : trials) {
    if (t.id < 6) {
      EXPECT_EQ(t.parent, -1) << "the first segments are the roots";
    } else {
      ASSERT_GE(t.parent, 0) << "trial " << t.id << " has no parent";
      ASSERT_LT(t.parent, t.id);
      EXPECT_EQ(trials[static_cast<std::size_t>(t.parent)].state, TrialState::complete);
    }
    generation[static_cast<std::size_t>(t.id)] = t.parent < 0 ? 0 : generation[static_cast<std::size_t>(t.parent)] + 1;
    EXPECT_EQ(t.budget, 5);
  }
  EXPECT_GT(*std::max_element(generation.begin(), generation.end()), 10);
}

TEST(Pbt, GenerationsBoundEveryModelAndExhaustTheStrategy) {
  const Space space = test::every_kind_space();
  PbtStrategy pbt(pbt_options(4, 1, 3), space, 7);
  const auto trials = run_population(pbt, 2, 1000);
  EXPECT_TRUE(pbt.exhausted());
  EXPECT_TRUE(pbt.ask(4, {}).empty());
  std::map<std::int64_t, std::int64_t> generation;
  for (const auto& t : trials) {
    generation[t.id] = t.parent < 0 ? 0 : generation.at(t.parent) + 1;
    EXPECT_LT(generation[t.id], 3);
  }
  for (const auto& m : pbt.members()) EXPECT_EQ(m.last_generation, 2);
}

TEST(Pbt, ReleasedCheckpointsAreNeverRestoredAndAtMost2PStayAlive) {
  const Space space = test::every_kind_space();
  PbtStrategy pbt(pbt_options(5), space, 8);
  std::vector<std::int64_t> released;
  const auto trials = run_population(pbt, 3, 200, &released);
  const std::set<std::int64_t> gone(released.begin(), released.end());
  EXPECT_GT(gone.size(), 150u) << "old checkpoints are released as the population moves on";
  std::size_t alive = 0;
  for (const auto& t : trials)
    if (t.state == TrialState::complete && !gone.count(t.id)) ++alive;
  EXPECT_LE(alive, 2u * 5u);
  for (const auto& m : pbt.members()) EXPECT_FALSE(gone.count(m.last)) << "a member's latest checkpoint was released";
}

}  // namespace
}  // namespace h5tune
