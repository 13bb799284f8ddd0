// Manager and workers in one process over the in-process transport, with a real log.
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "h5tune/error.hpp"
#include "h5tune/log.hpp"
#include "h5tune/objective.hpp"
#include "h5tune/seed.hpp"
#include "runtime/session.hpp"
#include "support/quiet_options.hpp"
#include "support/study_builder.hpp"
#include "support/temp_dir.hpp"

namespace h5tune {
namespace {

using runtime::run_in_process;

Metrics quadratic(const Trial& trial) { return {{"loss", trial.number("x") * trial.number("x")}}; }

TEST(Run, EveryTrialRunsExactlyOnceAndIsLogged) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "run.h5", 60);
  std::mutex mutex;
  std::multiset<std::int64_t> seen;
  CallableObjective objective([&](const Trial& trial, Reporter&) {
    {
      std::lock_guard lock(mutex);
      seen.insert(trial.id());
    }
    EXPECT_EQ(trial.seed(), trial_seed(1234, trial.id()));
    return quadratic(trial);
  });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 3);
  EXPECT_EQ(summary.trials, 60);
  EXPECT_EQ(summary.complete, 60);
  ASSERT_EQ(seen.size(), 60u);
  for (std::int64_t id = 0; id < 60; ++id) EXPECT_EQ(seen.count(id), 1u) << "trial " << id;

  LogReader log(study.log);
  const auto trials = log.trials();
  ASSERT_EQ(trials.size(), 60u);
  std::set<int> ranks;
  for (const auto& t : trials) {
    EXPECT_EQ(t.state, TrialState::complete);
    EXPECT_TRUE(study.space.contains(t.values));
    EXPECT_DOUBLE_EQ(t.value, t.values[0] * t.values[0]);
    EXPECT_LE(t.t_created, t.t_started);
    EXPECT_LE(t.t_started, t.t_finished);
    ranks.insert(t.rank);
  }
  EXPECT_EQ(ranks, (std::set<int>{1, 2, 3}));
  ASSERT_TRUE(summary.best);
  for (const auto& t : trials) EXPECT_LE(summary.best->value, t.value);
}

TEST(Run, FailuresAreDataAndTheStudyGoesOn) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "run.h5", 30);
  CallableObjective objective([](const Trial& trial, Reporter&) -> Metrics {
    if (trial.id() % 3 == 0) throw std::runtime_error("diverged");
    if (trial.id() % 3 == 1) return {{"loss", std::nan("")}};
    return quadratic(trial);
  });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 2);
  EXPECT_EQ(summary.complete, 10);
  EXPECT_EQ(summary.failed, 20);
  LogReader log(study.log);
  for (const auto& t : log.trials()) {
    if (t.id % 3 == 0) {
      EXPECT_EQ(t.state, TrialState::failed);
      EXPECT_NE(t.message.find("diverged"), std::string::npos) << t.message;
    } else if (t.id % 3 == 1) {
      EXPECT_EQ(t.state, TrialState::failed);
      EXPECT_NE(t.message.find("metric 'loss' is nan"), std::string::npos) << t.message;
    } else {
      EXPECT_EQ(t.state, TrialState::complete);
    }
  }
}

TEST(Run, MissingMetricFailsTheTrial) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "run.h5", 4);
  CallableObjective objective([](const Trial&, Reporter&) -> Metrics { return {{"accuracy", 0.5}}; });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 1);
  EXPECT_EQ(summary.failed, 4);
  LogReader log(study.log);
  for (const auto& t : log.trials()) EXPECT_NE(t.message.find("no value for metric 'loss'"), std::string::npos);
}

TEST(Run, ReportsBecomeLearningCurves) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "run.h5", 5);
  CallableObjective objective([](const Trial& trial, Reporter& reporter) -> Metrics {
    for (int step = 1; step <= 4; ++step)
      if (!reporter.report(step, {{"loss", 1.0 / step}})) break;
    return quadratic(trial);
  });
  run_in_process(study, objective, test::quiet_options(), 2);
  LogReader log(study.log);
  const auto reports = log.reports();
  ASSERT_EQ(reports.size(), 20u);
  std::map<std::int64_t, std::vector<std::int64_t>> steps;
  for (const auto& r : reports) {
    steps[r.trial].push_back(r.step);
    ASSERT_EQ(r.metrics.size(), 1u);
    EXPECT_EQ(r.metrics[0].name, "loss");
    EXPECT_DOUBLE_EQ(r.metrics[0].value, 1.0 / static_cast<double>(r.step));
  }
  for (const auto& [trial, s] : steps) EXPECT_EQ(s, (std::vector<std::int64_t>{1, 2, 3, 4})) << "trial " << trial;
}

/// Long trials that check for a stop request between steps, as a training loop would;
/// `on_start` runs as each one starts.
CallableObjective long_trials(std::function<void()> on_start = [] {}) {
  return CallableObjective([on_start](const Trial& trial, Reporter& reporter) -> Metrics {
    on_start();
    for (int step = 0; step < 2000; ++step) {
      if (reporter.should_stop()) return {};
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return quadratic(trial);
  });
}

/// Every trial of the log was interrupted, and its message says why.
void expect_all_interrupted(const std::filesystem::path& path, const std::string& why) {
  LogReader log(path);
  for (const auto& t : log.trials()) {
    EXPECT_EQ(t.state, TrialState::interrupted) << "trial " << t.id;
    EXPECT_EQ(t.message, why) << "trial " << t.id;
  }
}

TEST(Run, TimeLimitInterruptsRunningTrials) {
  test::TempDir dir;
  auto study = test::small_study(dir / "run.h5", 1000);
  study.max_time = std::chrono::duration<double>(0.3);
  CallableObjective objective = long_trials();
  const auto summary = run_in_process(study, objective, test::quiet_options(), 2);
  EXPECT_EQ(summary.interrupted, 2);
  EXPECT_EQ(summary.trials, 2);
  expect_all_interrupted(study.log, "interrupted: the study's max_time (0.3 s) ran out");
}

TEST(Run, AStopRequestNamesItselfInTheInterruptedTrialsMessages) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "run.h5", 1000);
  std::atomic<bool> stop{false};
  std::atomic<int> started{0};
  CallableObjective objective = long_trials([&] {
    if (++started == 2) stop = true;  // both workers are busy
  });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 2, &stop);
  EXPECT_EQ(summary.interrupted, 2);
  expect_all_interrupted(study.log, "interrupted: the run was asked to stop (SIGINT or SIGTERM); --resume runs it again");
}

TEST(Run, StopRequestInterruptsAndClosesTheLog) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "run.h5", 100000);
  std::atomic<bool> stop{false};
  std::atomic<int> started{0};
  CallableObjective objective([&](const Trial& trial, Reporter&) -> Metrics {
    if (++started == 50) stop = true;
    return quadratic(trial);
  });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 2, &stop);
  EXPECT_LT(summary.trials, 100000);
  EXPECT_GE(summary.trials, 50);
  LogReader log(study.log);
  EXPECT_EQ(log.trial_count(), summary.trials);
}

TEST(Run, ExistingLogIsRefusedUntouchedAndNoWorkerHangs) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "run.h5", 5);
  CallableObjective objective([](const Trial& trial, Reporter&) { return quadratic(trial); });
  run_in_process(study, objective, test::quiet_options(), 2);
  const auto size_before = std::filesystem::file_size(study.log);
  const auto time_before = std::filesystem::last_write_time(study.log);
  EXPECT_THROW(run_in_process(study, objective, test::quiet_options(), 2), InputError);
  EXPECT_EQ(std::filesystem::file_size(study.log), size_before);
  EXPECT_EQ(std::filesystem::last_write_time(study.log), time_before);
  RunOptions overwrite = test::quiet_options();
  overwrite.overwrite = true;
  EXPECT_EQ(run_in_process(study, objective, overwrite, 2).trials, 5);
}

// Same study, same seed, one worker: identical logs apart from times and hosts.
TEST(Run, SameSeedGivesTheSameLog) {
  test::TempDir dir;
  auto first = test::small_study(dir / "a.h5", 25, "sobol");
  auto second = first;
  second.log = dir / "b.h5";
  CallableObjective objective([](const Trial& trial, Reporter& reporter) -> Metrics {
    reporter.report(1, {{"loss", static_cast<double>(trial.seed() % 1000)}});
    return {{"loss", trial.number("x") + static_cast<double>(trial.seed() % 7)}, {"aux", trial.number("lr")}};
  });
  run_in_process(first, objective, test::quiet_options(), 1);
  run_in_process(second, objective, test::quiet_options(), 1);
  LogReader a(first.log);
  LogReader b(second.log);
  auto strip = [](std::vector<TrialRecord> trials) {
    for (auto& t : trials) t.t_created = t.t_started = t.t_finished = 0, t.host = 0;
    return trials;
  };
  EXPECT_EQ(strip(a.trials()), strip(b.trials()));
  EXPECT_EQ(a.metric_names(), b.metric_names());
  auto reports_a = a.reports();
  auto reports_b = b.reports();
  for (auto& r : reports_a) r.time = 0;
  for (auto& r : reports_b) r.time = 0;
  EXPECT_EQ(reports_a, reports_b);
  auto kinds = [](const std::vector<Event>& events) {
    std::vector<std::pair<EventKind, std::int64_t>> out;
    for (const auto& e : events) out.emplace_back(e.kind, e.trial);
    return out;
  };
  EXPECT_EQ(kinds(a.events()), kinds(b.events()));
}

}  // namespace
}  // namespace h5tune
