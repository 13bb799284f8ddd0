// Enqueued points through the real runtime: they become trials 0, 1, ... for every
// strategy that takes them, the strategy goes on after them, and a resumed run continues
// as if it had not stopped.
#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "h5tune/error.hpp"
#include "h5tune/log.hpp"
#include "h5tune/objective.hpp"
#include "runtime/session.hpp"
#include "support/quiet_options.hpp"
#include "support/study_builder.hpp"
#include "support/temp_dir.hpp"

namespace h5tune {
namespace {

constexpr double unset = std::numeric_limits<double>::quiet_NaN();

// x, lr, layers, act (see small_study): two whole points and one that gives only x.
StudyConfig study_with_points(const std::filesystem::path& log, std::int64_t max_trials, std::string kind) {
  StudyConfig study = test::small_study(log, max_trials, std::move(kind));
  study.enqueued = {{1.5, 0.01, 2.0, 1.0}, {-4.0, 1e-4, 4.0, 2.0}, {0.25, unset, unset, unset}};
  return study;
}

CallableObjective bowl() {
  return CallableObjective([](const Trial& trial, Reporter&) -> Metrics {
    const double x = trial.number("x") - 0.3;
    return {{"loss", x * x + std::log10(trial.number("lr")) * 0.01}};
  });
}

class EnqueueEveryKind : public ::testing::TestWithParam<std::string> {};

TEST_P(EnqueueEveryKind, ThePointsRunFirstThenTheStrategyFinishesTheStudy) {
  test::TempDir dir;
  const StudyConfig study = study_with_points(dir / "run.h5", 16, GetParam());
  auto objective = bowl();
  const auto summary = runtime::run_in_process(study, objective, test::quiet_options(), 2);
  EXPECT_EQ(summary.complete, 16);

  const auto trials = LogReader(study.log).trials();
  ASSERT_EQ(trials.size(), 16u);
  EXPECT_EQ(trials[0].values, study.enqueued[0]);
  EXPECT_EQ(trials[1].values, study.enqueued[1]);
  EXPECT_EQ(trials[2].values[0], 0.25);
  EXPECT_TRUE(study.space.contains(trials[2].values));
  for (const auto& t : trials) EXPECT_TRUE(study.space.contains(t.values)) << "trial " << t.id;

  // The filled-in values come from the study seed: the same in a second run.
  test::TempDir again;
  const StudyConfig same = study_with_points(again / "run.h5", 3, GetParam());
  runtime::run_in_process(same, objective, test::quiet_options(), 1);
  EXPECT_EQ(LogReader(same.log).trials()[2].values, trials[2].values);
}

std::vector<std::string> kinds_taking_points() {
  std::vector<std::string> kinds;
  for (const auto& kind : strategy_kinds())
    if (!strategy_resumes_checkpoints(kind)) kinds.push_back(kind);
  return kinds;
}

INSTANTIATE_TEST_SUITE_P(AllKinds, EnqueueEveryKind, ::testing::ValuesIn(kinds_taking_points()),
                         [](const auto& param_info) { return param_info.param; });

TEST(Enqueue, AResumedRunContinuesAsIfUninterrupted) {
  auto objective = bowl();
  test::TempDir whole_dir;
  const StudyConfig whole = study_with_points(whole_dir / "run.h5", 14, "gp");
  runtime::run_in_process(whole, objective, test::quiet_options(), 1);

  // Stopped inside the queue (after 2 of its 3 points), then resumed to the same budget.
  test::TempDir cut_dir;
  StudyConfig cut = study_with_points(cut_dir / "run.h5", 2, "gp");
  runtime::run_in_process(cut, objective, test::quiet_options(), 1);
  cut.max_trials = 14;
  runtime::run_in_process(cut, objective, test::quiet_options(/*resume=*/true), 1);

  const auto expected = LogReader(whole.log).trials();
  const auto got = LogReader(cut.log).trials();
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t k = 0; k < got.size(); ++k) EXPECT_EQ(got[k].values, expected[k].values) << "trial " << k;
}

TEST(Enqueue, StrategiesThatContinueCheckpointsRefuseThePoints) {
  test::TempDir dir;
  StudyConfig study = study_with_points(dir / "run.h5", 8, "pbt");
  auto objective = bowl();
  try {
    runtime::run_in_process(study, objective, test::quiet_options(), 1);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("enqueued points are not supported with strategy 'pbt'"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(study.log)) << "no log for a study that cannot start";
}

TEST(Enqueue, APointOutsideTheSpaceIsAnErrorNamingIt) {
  test::TempDir dir;
  StudyConfig study = study_with_points(dir / "run.h5", 8, "random");
  study.enqueued[1][2] = 9.0;  // layers is an int in [1, 4]
  auto objective = bowl();
  try {
    runtime::run_in_process(study, objective, test::quiet_options(), 1);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("enqueued point 2: parameter 'layers': 9 is outside the range [1, 4]"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace h5tune
