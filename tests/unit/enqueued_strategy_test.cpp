// EnqueuedStrategy: the user's points first and in order, then the wrapped strategy, which
// sees them as pending while they run and learns from their results.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <sstream>

#include "h5tune/error.hpp"
#include "h5tune/options.hpp"
#include "h5tune/seed.hpp"
#include "strategy/enqueued_strategy.hpp"
#include "support/trial_record.hpp"

namespace h5tune {
namespace {

constexpr double unset = std::numeric_limits<double>::quiet_NaN();

Space enqueue_test_space() {
  Space s;
  s.add_float("x", -2.0, 3.0).add_int("n", 1, 5).add_choice("act", {"relu", "tanh", "gelu"});
  return s;
}

std::unique_ptr<EnqueuedStrategy> wrap(std::string_view kind, std::vector<std::vector<double>> points,
                                       std::uint64_t fill_seed = 5) {
  const Space space = enqueue_test_space();
  return std::make_unique<EnqueuedStrategy>(make_strategy(StrategyConfig{std::string(kind), {}}, space, 11), space,
                                            std::move(points), fill_seed);
}

// The wrapped strategy's view: what pending points each ask saw.
class PendingRecorder final : public Strategy {
 public:
  std::string_view kind() const noexcept override { return "recorder"; }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override {
    seen_pending.push_back(pending.size());
    return std::vector<Suggestion>(n, Suggestion{{0.5, 3.0, 0.0}, -1, 0});
  }
  void tell(const TrialRecord& trial) override { told.push_back(trial.id); }
  void save(std::ostream&) const override {}
  void load(std::istream&) override {}
  std::vector<std::size_t> seen_pending;
  std::vector<std::int64_t> told;
};

double bumpy(const std::vector<double>& v) { return std::sin(2.0 * v[0]) + 0.1 * v[1] + 0.2 * v[2]; }

// ask(1) + tell, `count` times, from trial id `first`.
std::vector<std::vector<double>> sequence(Strategy& s, std::int64_t first, int count) {
  std::vector<std::vector<double>> out;
  for (int k = 0; k < count; ++k) {
    const auto batch = s.ask(1, {});
    if (batch.empty()) break;
    s.tell(test::told_trial(first + k, batch.front().values, bumpy(batch.front().values)));
    out.push_back(batch.front().values);
  }
  return out;
}

TEST(EnqueuedStrategy, ServesThePointsInOrderThenTheStrategy) {
  const std::vector<std::vector<double>> points = {{1.0, 2.0, 1.0}, {-1.5, 5.0, 0.0}};
  auto s = wrap("sobol", points);
  EXPECT_EQ(s->kind(), "sobol");
  const auto first = s->ask(3, {});
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].values, points[0]);
  EXPECT_EQ(first[1].values, points[1]);
  EXPECT_TRUE(enqueue_test_space().contains(first[2].values));
  // The same as sobol's own first point: the queue does not disturb the strategy's stream.
  const Space space = enqueue_test_space();
  auto plain = make_strategy(StrategyConfig{"sobol", {}}, space, 11);
  EXPECT_EQ(first[2].values, plain->ask(1, {}).front().values);
}

TEST(EnqueuedStrategy, LeftOutValuesAreDrawnFromTheSeedAndStayInTheSpace) {
  const std::vector<std::vector<double>> points = {{unset, 4.0, unset}, {0.5, unset, unset}};
  const auto a = wrap("random", points, 5)->points();
  const auto b = wrap("random", points, 5)->points();
  const auto c = wrap("random", points, 6)->points();
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a[0][1], 4.0);
  EXPECT_EQ(a[1][0], 0.5);
  for (const auto& p : a) EXPECT_TRUE(enqueue_test_space().contains(p));
}

TEST(EnqueuedStrategy, TheStrategySeesServedPointsAsPendingAndIsToldTheirResults) {
  auto inner = std::make_unique<PendingRecorder>();
  PendingRecorder* recorder = inner.get();
  EnqueuedStrategy s(std::move(inner), enqueue_test_space(), {{1.0, 2.0, 1.0}}, 5);
  std::vector<TrialRecord> running = {test::told_trial(9, {0.0, 1.0, 2.0}, 0.0)};
  const auto batch = s.ask(3, running);
  ASSERT_EQ(batch.size(), 3u);
  ASSERT_EQ(recorder->seen_pending.size(), 1u);
  EXPECT_EQ(recorder->seen_pending[0], 2u) << "the running trial and the point served in the same ask";
  s.tell(test::told_trial(0, batch[0].values, 1.0));
  EXPECT_EQ(recorder->told, (std::vector<std::int64_t>{0}));
  EXPECT_TRUE(s.ask(0, {}).empty());
}

// Optuna's n_startup_trials counts enqueued trials: gp's n_initial does too.
TEST(EnqueuedStrategy, GpCountsThePointsInItsInitialDesign) {
  const Space space = enqueue_test_space();
  Options options;
  options.set("n_initial", std::int64_t{6});
  const StrategyConfig config{"gp", options};
  auto design = make_strategy(config, space, 11)->ask(6, {});
  ASSERT_EQ(design.size(), 6u);

  const std::vector<std::vector<double>> two = {{1.0, 2.0, 1.0}, {-1.5, 5.0, 0.0}};
  EnqueuedStrategy after_two(make_strategy(config, space, 11), space, two, 5);
  const auto trials = sequence(after_two, 0, 7);
  ASSERT_EQ(trials.size(), 7u);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(trials[2 + k], design[k].values) << "design point " << k;
  EXPECT_NE(trials[6], design[4].values) << "2 points + 4 design points: the model's turn";

  std::vector<std::vector<double>> six;
  for (int k = 0; k < 6; ++k) six.push_back({-1.9 + 0.8 * k, 3.0, 2.0});
  EnqueuedStrategy after_six(make_strategy(config, space, 11), space, six, 5);
  const auto own = sequence(after_six, 0, 7);
  ASSERT_EQ(own.size(), 7u);
  EXPECT_NE(own[6], design[0].values) << "as many points as the design: no design point at all";
}

TEST(EnqueuedStrategy, ExhaustedOnlyWhenThePointsAndTheStrategyAre) {
  Space one;
  one.add_choice("act", {"relu", "tanh"});
  EnqueuedStrategy s(make_strategy(StrategyConfig{"grid", {}}, one, 1), one, {{1.0}}, 5);
  EXPECT_FALSE(s.exhausted());
  int asked = 0;
  while (!s.exhausted() && asked < 10) asked += static_cast<int>(s.ask(1, {}).size());
  EXPECT_EQ(asked, 3) << "the point, then the grid's two";
}

TEST(EnqueuedStrategy, SaveLoadInsideTheQueueContinuesAsUninterrupted) {
  const std::vector<std::vector<double>> points = {{1.0, 2.0, 1.0}, {-1.5, unset, 0.0}, {2.5, 1.0, 2.0}};
  for (const std::string kind : {"gp", "tpe", "evolution", "cmaes"}) {
    auto original = wrap(kind, points);
    sequence(*original, 0, 2);
    std::stringstream checkpoint;
    original->save(checkpoint);
    const auto expected = sequence(*original, 2, 12);

    auto resumed = wrap(kind, points, /*fill_seed=*/5);
    resumed->load(checkpoint);
    EXPECT_EQ(sequence(*resumed, 2, 12), expected) << kind;
  }
}

TEST(EnqueuedStrategy, LoadRefusesACheckpointOfAnotherQueue) {
  auto two = wrap("random", {{1.0, 2.0, 1.0}, {0.0, 1.0, 0.0}});
  std::stringstream checkpoint;
  two->save(checkpoint);
  auto one = wrap("random", {{1.0, 2.0, 1.0}});
  EXPECT_THROW(one->load(checkpoint), InputError);
  std::stringstream plain;
  make_strategy(StrategyConfig{"random", {}}, enqueue_test_space(), 1)->save(plain);
  EXPECT_THROW(one->load(plain), InputError);
}

TEST(EnqueuedStrategy, APointOutsideTheSpaceIsAnErrorNamingItsParameter) {
  const auto message = [](std::vector<std::vector<double>> points) {
    try {
      wrap("random", std::move(points));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({{0.0, 1.0, 0.0}, {0.0, 1.5, 0.0}}), "enqueued point 2: parameter 'n': 1.5 is not an integer");
  EXPECT_EQ(message({{4.0, 1.0, 0.0}}), "enqueued point 1: parameter 'x': 4 is outside the range [-2, 3]");
  EXPECT_EQ(message({{0.0, 1.0, 3.0}}), "enqueued point 1: parameter 'act': 3 is not a choice index (0..2)");
  EXPECT_EQ(message({{0.0, 1.0}}), "enqueued point 1 has 2 values, the space has 3 parameters");
}

}  // namespace
}  // namespace h5tune
