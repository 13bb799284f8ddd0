// max_retries and max_failures through the real manager, workers and log, in one process.
#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>

#include <gtest/gtest.h>

#include "h5tune/log.hpp"
#include "h5tune/objective.hpp"
#include "runtime/session.hpp"
#include "support/quiet_options.hpp"
#include "support/study_builder.hpp"
#include "support/temp_dir.hpp"

namespace h5tune {
namespace {

using runtime::run_in_process;

/// Counts the evaluations of each trial and remembers the seeds and parameters it saw.
struct Attempts {
  std::mutex mutex;
  std::map<std::int64_t, int> count;
  std::map<std::int64_t, std::vector<std::uint64_t>> seeds;
  std::map<std::int64_t, std::vector<std::vector<double>>> values;
  int record(const Trial& trial) {
    std::lock_guard lock(mutex);
    seeds[trial.id()].push_back(trial.seed());
    values[trial.id()].emplace_back(trial.values().begin(), trial.values().end());
    return ++count[trial.id()];
  }
};

TEST(FailurePolicy, RetriesAFailedTrialWithTheSameSeedAndParameters) {
  test::TempDir dir;
  auto study = test::small_study(dir / "retry.h5", 20);
  study.max_retries = 2;
  Attempts attempts;
  // Even trials fail on their first attempt only; trial 5 fails every time.
  CallableObjective objective([&](const Trial& trial, Reporter&) -> Metrics {
    const int attempt = attempts.record(trial);
    if (trial.id() == 5) throw std::runtime_error("always broken");
    if (trial.id() % 2 == 0 && attempt == 1) throw std::runtime_error("flaky");
    return {{"loss", trial.number("x")}};
  });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 3);

  EXPECT_EQ(summary.trials, 20);
  EXPECT_EQ(summary.complete, 19);
  EXPECT_EQ(summary.failed, 1);
  EXPECT_EQ(summary.retried, 10 + 2);  // ten even trials once, trial 5 twice
  for (const auto& [id, n] : attempts.count) {
    const int expected = id == 5 ? 3 : id % 2 == 0 ? 2 : 1;
    EXPECT_EQ(n, expected) << "trial " << id;
    for (std::size_t a = 1; a < attempts.seeds[id].size(); ++a) {
      EXPECT_EQ(attempts.seeds[id][a], attempts.seeds[id][0]) << "trial " << id;
      EXPECT_EQ(attempts.values[id][a], attempts.values[id][0]) << "trial " << id;
    }
  }

  LogReader log(study.log);
  const auto trials = log.trials();
  ASSERT_EQ(trials.size(), 20u);
  for (const auto& t : trials) {
    if (t.id == 5) {
      EXPECT_EQ(t.state, TrialState::failed);
      EXPECT_EQ(t.attempt, 2);
      EXPECT_NE(t.message.find("attempt 3: exception: always broken"), std::string::npos) << t.message;
      EXPECT_NE(t.message.find("earlier attempt 1: exception: always broken; attempt 2:"), std::string::npos)
          << t.message;
    } else {
      EXPECT_EQ(t.state, TrialState::complete) << "trial " << t.id;
      EXPECT_EQ(t.attempt, t.id % 2 == 0 ? 1 : 0) << "trial " << t.id;
    }
  }
  int retry_events = 0;
  int tells_of_5 = 0;
  for (const auto& e : log.events()) {
    retry_events += e.kind == EventKind::retry;
    tells_of_5 += e.kind == EventKind::tell && e.trial == 5;
  }
  EXPECT_EQ(retry_events, 12);
  EXPECT_EQ(tells_of_5, 1);  // the strategy hears of the last attempt only
}

TEST(FailurePolicy, WithoutMaxRetriesAFailureIsFinal) {
  test::TempDir dir;
  auto study = test::small_study(dir / "once.h5", 10);
  Attempts attempts;
  CallableObjective objective([&](const Trial& trial, Reporter&) -> Metrics {
    attempts.record(trial);
    if (trial.id() == 3) throw std::runtime_error("broken");
    return {{"loss", 1.0}};
  });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 2);
  EXPECT_EQ(summary.failed, 1);
  EXPECT_EQ(summary.retried, 0);
  EXPECT_EQ(attempts.count[3], 1);
  EXPECT_EQ(LogReader(study.log).trials()[3].message, "exception: broken");
}

TEST(FailurePolicy, AnAbsoluteLimitStopsABrokenStudy) {
  test::TempDir dir;
  auto study = test::small_study(dir / "broken.h5", 200);
  study.max_failures = FailureLimit{.count = 4, .fraction = std::nullopt};
  CallableObjective objective([](const Trial&, Reporter&) -> Metrics { throw std::runtime_error("no GPU"); });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 1);
  ASSERT_TRUE(summary.failure_limit);
  EXPECT_EQ(*summary.failure_limit, "5 trials failed, more than max_failures = 4");
  EXPECT_EQ(summary.failed, 5);
  EXPECT_EQ(summary.complete, 0);
  EXPECT_LT(LogReader(study.log).trials().size(), 10u);  // far from the 200 asked for
}

TEST(FailurePolicy, AFractionLimitWaitsForEnoughTrialsThenStops) {
  test::TempDir dir;
  auto study = test::small_study(dir / "half.h5", 200);
  study.max_failures = FailureLimit{.count = std::nullopt, .fraction = 0.5};
  // Trials 0-1 complete, then everything fails: 2 failures of 3 is over half, but the
  // fraction is judged only from the tenth finished trial on.
  CallableObjective objective([](const Trial& trial, Reporter&) -> Metrics {
    if (trial.id() < 2) return {{"loss", 1.0}};
    throw std::runtime_error("disk full");
  });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 1);
  ASSERT_TRUE(summary.failure_limit);
  EXPECT_EQ(summary.complete, 2);
  EXPECT_EQ(summary.failed, 8);
  EXPECT_EQ(*summary.failure_limit, "8 of 10 finished trials failed, more than max_failures = 0.5 of them");
}

TEST(FailurePolicy, AResumedStudyCountsTheFailuresOfEarlierRuns) {
  test::TempDir dir;
  auto study = test::small_study(dir / "resumed.h5", 6);
  study.max_failures = FailureLimit{.count = std::nullopt, .fraction = 0.5};
  CallableObjective objective([](const Trial& trial, Reporter&) -> Metrics {
    if (trial.id() < 2) return {{"loss", 1.0}};
    throw std::runtime_error("disk full");
  });
  // 4 of 6 failed: too few finished trials to judge the fraction yet.
  EXPECT_FALSE(run_in_process(study, objective, test::quiet_options(), 1).failure_limit);
  study.max_trials = 200;
  auto options = test::quiet_options();
  options.resume = true;
  const auto summary = run_in_process(study, objective, options, 1);
  ASSERT_TRUE(summary.failure_limit);
  EXPECT_EQ(summary.failed, 4) << "stopped at the study's tenth finished trial, not this run's";
  EXPECT_EQ(*summary.failure_limit,
            "8 of 10 finished trials failed (4 of them in earlier runs), more than max_failures = 0.5 of them");
}

TEST(FailurePolicy, AStudyUnderItsFailureFractionCompletes) {
  test::TempDir dir;
  auto study = test::small_study(dir / "ok.h5", 60);
  study.max_failures = FailureLimit{.count = std::nullopt, .fraction = 0.5};
  // About 30 % of the trials fail, decided by their parameter.
  CallableObjective objective([](const Trial& trial, Reporter&) -> Metrics {
    if (trial.number("x") < -2.0) throw std::runtime_error("diverged");
    return {{"loss", trial.number("x")}};
  });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 3);
  EXPECT_FALSE(summary.failure_limit);
  EXPECT_EQ(summary.trials, 60);
  EXPECT_GT(summary.failed, 5);
  EXPECT_EQ(summary.failed + summary.complete, 60);
}

}  // namespace
}  // namespace h5tune
