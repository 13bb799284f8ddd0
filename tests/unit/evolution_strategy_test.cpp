#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "h5tune/seed.hpp"
#include "strategy/evolution/evolution_strategy.hpp"
#include "strategy/evolution/mutation.hpp"
#include "strategy/evolution/tournament.hpp"
#include "strategy/random_strategy.hpp"
#include "support/every_kind_space.hpp"
#include "support/trial_record.hpp"

namespace h5tune {
namespace {

TEST(EvolutionMutation, ChildrenStayInBoundsForEveryKindAndDiffer) {
  const Space space = test::every_kind_space();
  Rng rng(11);
  for (const double scale : {0.01, 0.1, 1.0}) {
    for (const double rate : {0.0, 1.0}) {
      for (int k = 0; k < 2000; ++k) {
        std::vector<double> parent(space.size());
        for (std::size_t j = 0; j < space.size(); ++j) parent[j] = space.from_unit(j, uniform01(rng));
        // Parents on the bounds too, where steps are reflected.
        if (k % 3 == 0) parent = space.from_unit(std::vector<double>(space.size(), k % 2 ? 1.0 : 0.0));
        const auto child = mutate(space, parent, {scale, rate}, rng);
        ASSERT_TRUE(space.contains(child)) << "scale " << scale << " rate " << rate;
        ASSERT_NE(child, parent) << "a mutation changed nothing";
      }
    }
  }
}

TEST(EvolutionMutation, OneParameterMutatesByDefaultAndCategoricalsSwitch) {
  const Space space = test::every_kind_space();
  Rng rng(12);
  const std::vector<double> parent = space.from_unit(std::vector<double>(space.size(), 0.5));
  std::size_t changed = 0;
  const int children = 3000;
  for (int k = 0; k < children; ++k) {
    const auto child = mutate(space, parent, {0.1, 0.0}, rng);
    for (std::size_t j = 0; j < space.size(); ++j) changed += child[j] != parent[j];
  }
  // One forced parameter plus each of the others with probability 1/d: about 2 - 1/d each.
  const double per_child = static_cast<double>(changed) / children;
  EXPECT_NEAR(per_child, 2.0 - 1.0 / 7.0, 0.1);
}

TEST(EvolutionMutation, ReflectionFoldsIntoTheUnitInterval) {
  EXPECT_DOUBLE_EQ(reflect_into_unit(0.25), 0.25);
  EXPECT_DOUBLE_EQ(reflect_into_unit(-0.25), 0.25);
  EXPECT_DOUBLE_EQ(reflect_into_unit(1.25), 0.75);
  EXPECT_DOUBLE_EQ(reflect_into_unit(2.25), 0.25);
  EXPECT_DOUBLE_EQ(reflect_into_unit(-1.25), 0.75);
}

TEST(EvolutionTournament, SamplesDistinctMembersAndPicksTheBestOfThem) {
  Rng rng(13);
  std::vector<double> scores(30);
  for (auto& s : scores) s = uniform01(rng);
  for (int k = 0; k < 500; ++k) {
    const auto sample = tournament_sample(scores.size(), 7, rng);
    ASSERT_EQ(sample.size(), 7u);
    ASSERT_EQ(std::set<std::size_t>(sample.begin(), sample.end()).size(), 7u);
    const std::size_t winner = tournament_winner(sample, scores);
    for (const std::size_t i : sample) ASSERT_LE(scores[winner], scores[i]);
    ASSERT_NE(std::find(sample.begin(), sample.end(), winner), sample.end());
  }
  // A tournament of the whole population always finds its best member.
  const auto all = tournament_sample(scores.size(), 100, rng);
  EXPECT_EQ(all.size(), scores.size());
  EXPECT_EQ(tournament_winner(all, scores),
            static_cast<std::size_t>(std::min_element(scores.begin(), scores.end()) - scores.begin()));
}

TEST(EvolutionStrategy, AgingRemovesTheOldestEvenWhenItIsTheBest) {
  Space space;
  space.add_float("x", 0.0, 1.0);
  Options options;
  options.set("population", std::int64_t{3});
  EvolutionStrategy s(options, space, 1);
  for (std::int64_t id = 0; id < 5; ++id)
    s.tell(test::told_trial(id, {0.1 * static_cast<double>(id)}, static_cast<double>(id)));
  ASSERT_EQ(s.population().size(), 3u);
  EXPECT_EQ(s.population()[0].id, 2);  // trial 0, the best, aged out
  EXPECT_EQ(s.population()[1].id, 3);
  EXPECT_EQ(s.population()[2].id, 4);
}

TEST(EvolutionStrategy, FailedPrunedAndNanResultsDoNotJoinThePopulation) {
  Space space;
  space.add_float("x", 0.0, 1.0);
  EvolutionStrategy s({}, space, 1);
  s.tell(test::told_trial(0, {0.5}, 1.0, TrialState::failed));
  s.tell(test::told_trial(1, {0.5}, 1.0, TrialState::pruned));
  s.tell(test::told_trial(2, {0.5}, 1.0, TrialState::interrupted));
  s.tell(test::told_trial(3, {0.5}, std::numeric_limits<double>::quiet_NaN()));
  s.tell(test::told_trial(4, {0.5}, std::numeric_limits<double>::infinity()));
  EXPECT_TRUE(s.population().empty());
  s.tell(test::told_trial(5, {0.5}, 2.0));
  EXPECT_EQ(s.population().size(), 1u);
}

TEST(EvolutionStrategy, ChildrenDescendFromTheWinnerAndMaximizeFlipsTheOrder) {
  // A population of two far-apart points; tournaments of the whole population always pick
  // the better one, so every child is a small step from it.
  Space space;
  space.add_float("x", 0.0, 1.0);
  for (const bool maximize : {false, true}) {
    Options options;
    options.set("population", std::int64_t{2});
    options.set("tournament", std::int64_t{2});
    options.set("mutation_scale", 0.01);
    if (maximize) options.set("direction", std::string("maximize"));
    EvolutionStrategy s(options, space, 3);
    s.tell(test::told_trial(0, {0.1}, 1.0));
    s.tell(test::told_trial(1, {0.9}, 5.0));
    const double winner = maximize ? 0.9 : 0.1;
    for (const auto& child : s.ask(50, {})) EXPECT_NEAR(child.values[0], winner, 0.06);
  }
}

double quadratic(const std::vector<double>& v) {
  return (v[0] - 0.37) * (v[0] - 0.37) + (v[1] + 1.2) * (v[1] + 1.2);
}

double best_of_run(Strategy& s, int evaluations) {
  double best = std::numeric_limits<double>::infinity();
  for (std::int64_t id = 0; id < evaluations; ++id) {
    const auto batch = s.ask(1, {});
    const double value = quadratic(batch.front().values);
    best = std::min(best, value);
    s.tell(test::told_trial(id, batch.front().values, value));
  }
  return best;
}

TEST(EvolutionStrategy, BeatsRandomSearchOnAQuadratic) {
  Space space;
  space.add_float("a", -3.0, 3.0).add_float("b", -3.0, 3.0);
  int wins = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    EvolutionStrategy evolution({}, space, seed);
    RandomStrategy random({}, space, seed);
    const double e = best_of_run(evolution, 400);
    const double r = best_of_run(random, 400);
    wins += e < r;
    EXPECT_LT(e, 0.05) << "seed " << seed;  // the box is 6 x 6: random finds about 1e-2
  }
  EXPECT_GE(wins, 4);
}

}  // namespace
}  // namespace h5tune
