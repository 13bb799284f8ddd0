// `--resume`: a stopped run continues from its log; finished trials are kept, unfinished
// ones run again with their ids, parameters and seeds, and the budget counts ids.
#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
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

Metrics loss_of(const Trial& trial) {
  return {{"loss", std::sin(3.0 * trial.number("x")) + std::log(trial.number("lr")) * 0.1 +
                       static_cast<double>(trial.integer("layers")) * 0.01}};
}

/// Runs `study` until `stop_after` trials have started; the trials started from then on
/// wait until the manager interrupts them, as a training loop that polls should_stop().
RunSummary run_until_stopped(const StudyConfig& study, int workers, int stop_after) {
  std::atomic<bool> stop{false};
  std::atomic<int> started{0};
  CallableObjective objective([&](const Trial& trial, Reporter& reporter) -> Metrics {
    if (++started < stop_after) return loss_of(trial);
    stop = true;
    while (!reporter.should_stop()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return {};
  });
  return run_in_process(study, objective, test::quiet_options(), workers, &stop);
}

struct Seen {
  std::mutex mutex;
  std::map<std::int64_t, int> runs;  ///< trial id -> evaluations in this run
};

RunSummary resume(const StudyConfig& study, int workers, Seen* seen = nullptr) {
  CallableObjective objective([&](const Trial& trial, Reporter&) -> Metrics {
    if (seen) {
      std::lock_guard lock(seen->mutex);
      ++seen->runs[trial.id()];
      EXPECT_EQ(trial.seed(), trial_seed(study.seed, trial.id()));
    }
    return loss_of(trial);
  });
  return run_in_process(study, objective, test::quiet_options(true), workers);
}

std::vector<std::vector<double>> values_of(const std::filesystem::path& log) {
  std::vector<std::vector<double>> out;
  for (const auto& t : LogReader(log).trials()) out.push_back(t.values);
  return out;
}

std::int64_t count_events(const std::filesystem::path& log, EventKind kind) {
  std::int64_t n = 0;
  for (const auto& e : LogReader(log).events()) n += e.kind == kind ? 1 : 0;
  return n;
}

TEST(Resume, StoppedRunEndsWithEveryIdFinishedOnceAndInterruptedTrialsRerun) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "run.h5", 40);
  const auto first = run_until_stopped(study, 2, 10);
  ASSERT_GE(first.interrupted, 1);
  const auto before = LogReader(study.log).trials();
  ASSERT_LT(before.size(), 40u);

  Seen seen;
  const auto second = resume(study, 2, &seen);
  EXPECT_FALSE(second.stopped_by_signal);

  const auto after = LogReader(study.log).trials();
  ASSERT_EQ(after.size(), 40u);
  for (std::int64_t id = 0; id < 40; ++id) {
    const auto& t = after[static_cast<std::size_t>(id)];
    EXPECT_EQ(t.id, id);
    EXPECT_EQ(t.state, TrialState::complete) << "trial " << id << ": " << t.message;
    EXPECT_EQ(t.seed, trial_seed(study.seed, id));
  }
  std::int64_t rerun = 0;
  for (const auto& old : before) {
    const auto& now = after[static_cast<std::size_t>(old.id)];
    EXPECT_EQ(now.values, old.values) << "trial " << old.id << " keeps its parameters";
    if (old.state == TrialState::interrupted) {
      ++rerun;
      EXPECT_EQ(now.attempt, 1) << "trial " << old.id;
      EXPECT_EQ(seen.runs[old.id], 1) << "trial " << old.id << " runs again";
    } else {
      EXPECT_EQ(now, old) << "a finished trial is kept as it was";
      EXPECT_EQ(seen.runs.count(old.id), 0u) << "trial " << old.id << " is not run again";
    }
  }
  for (std::int64_t id = static_cast<std::int64_t>(before.size()); id < 40; ++id) {
    EXPECT_EQ(seen.runs[id], 1) << "new trial " << id;
    EXPECT_EQ(after[static_cast<std::size_t>(id)].attempt, 0);
  }
  EXPECT_EQ(second.trials, rerun + 40 - static_cast<std::int64_t>(before.size()));
  EXPECT_EQ(count_events(study.log, EventKind::run_start), 2);
  EXPECT_EQ(count_events(study.log, EventKind::run_stop), 2);
  EXPECT_EQ(LogReader(study.log).metric_names(), std::vector<std::string>{"loss"}) << "names continue";
}

TEST(Resume, ResumedReproducibleRunHasTheTrialsOfAnUninterruptedOne) {
  test::TempDir dir;
  auto whole = test::small_study(dir / "whole.h5", 30, "tpe");
  whole.reproducible = true;
  whole.strategy.options.set("n_startup", std::int64_t{5});
  CallableObjective plain([](const Trial& trial, Reporter&) { return loss_of(trial); });
  run_in_process(whole, plain, test::quiet_options(), 3);

  auto cut = whole;
  cut.log = dir / "cut.h5";
  const auto first = run_until_stopped(cut, 3, 12);
  ASSERT_GE(first.interrupted, 1);
  ASSERT_LT(LogReader(cut.log).trial_count(), 30);
  resume(cut, 3);

  const auto expected = values_of(whole.log);
  ASSERT_EQ(expected.size(), 30u);
  EXPECT_EQ(values_of(cut.log), expected);
  for (const auto& t : LogReader(cut.log).trials()) EXPECT_EQ(t.state, TrialState::complete) << t.id;
}

// Async mode replays the journal's asks: a sequence strategy continues where it stopped.
TEST(Resume, AsyncSobolContinuesItsSequence) {
  test::TempDir dir;
  const auto whole = test::small_study(dir / "whole.h5", 24, "sobol");
  CallableObjective plain([](const Trial& trial, Reporter&) { return loss_of(trial); });
  run_in_process(whole, plain, test::quiet_options(), 1);
  auto cut = whole;
  cut.log = dir / "cut.h5";
  run_until_stopped(cut, 1, 9);
  ASSERT_LT(LogReader(cut.log).trial_count(), 24);
  resume(cut, 1);
  EXPECT_EQ(values_of(cut.log), values_of(whole.log));
}

TEST(Resume, ReproducibleLogResumedWithOtherWorkersIsRefusedUntouched) {
  test::TempDir dir;
  auto study = test::small_study(dir / "run.h5", 30, "tpe");
  study.reproducible = true;
  study.strategy.options.set("n_startup", std::int64_t{3});
  run_until_stopped(study, 3, 12);
  const auto size = std::filesystem::file_size(study.log);
  try {
    resume(study, 1);
    FAIL() << "resumed with another worker count";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("does not match the study's strategy at trial"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(std::filesystem::file_size(study.log), size);
  EXPECT_EQ(resume(study, 3).trials > 0, true) << "the right worker count resumes it";
}

TEST(Resume, LogOfAnotherStudyIsRefusedNamingTheDifference) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "run.h5", 8);
  run_until_stopped(study, 2, 5);
  const auto size = std::filesystem::file_size(study.log);
  const auto time = std::filesystem::last_write_time(study.log);

  auto other_seed = study;
  other_seed.seed = 99;
  auto other_space = test::small_study(study.log, 8);
  other_space.space = Space().add_float("x", -4.0, 5.0).add_float("lr", 1e-4, 1.0, true).add_int("layers", 1, 4).add_choice(
      "act", {"relu", "tanh", "gelu"});
  auto other_strategy = test::small_study(study.log, 8, "sobol");
  const std::vector<std::pair<StudyConfig, std::string>> cases = {
      {other_seed, "seed"}, {other_space, "parameter 1 is float 'x'"}, {other_strategy, "strategy is 'random'"}};
  for (const auto& [other, what] : cases) {
    try {
      resume(other, 2);
      ADD_FAILURE() << "resumed a log of another study (" << what << ")";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(std::filesystem::file_size(study.log), size);
  EXPECT_EQ(std::filesystem::last_write_time(study.log), time);
}

TEST(Resume, CompleteStudyRunsNothingAndSucceeds) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "run.h5", 6);
  CallableObjective plain([](const Trial& trial, Reporter&) { return loss_of(trial); });
  run_in_process(study, plain, test::quiet_options(), 2);
  const auto before = LogReader(study.log).trials();
  Seen seen;
  const auto summary = resume(study, 2, &seen);
  EXPECT_EQ(summary.trials, 0);
  EXPECT_TRUE(seen.runs.empty());
  EXPECT_EQ(LogReader(study.log).trials(), before);
  ASSERT_TRUE(summary.best) << "the best trial of the log is reported";
  EXPECT_EQ(count_events(study.log, EventKind::run_start), 2);
}

/// A study whose first run finished its 6 trials, its budget then raised to 10.
StudyConfig finished_six_then_raised_to_ten(const test::TempDir& dir) {
  auto study = test::small_study(dir / "run.h5", 6);
  CallableObjective plain([](const Trial& trial, Reporter&) { return loss_of(trial); });
  run_in_process(study, plain, test::quiet_options(), 2);
  study.max_trials = 10;
  return study;
}

TEST(Resume, RaisedBudgetContinuesWithNewIds) {
  test::TempDir dir;
  const auto study = finished_six_then_raised_to_ten(dir);
  Seen seen;
  EXPECT_EQ(resume(study, 2, &seen).trials, 4);
  EXPECT_EQ(seen.runs, (std::map<std::int64_t, int>{{6, 1}, {7, 1}, {8, 1}, {9, 1}}));
  EXPECT_EQ(LogReader(study.log).trial_count(), 10);
  EXPECT_EQ(LogReader(study.log).header().max_trials, 10) << "the log states the budget it now has";
}

TEST(Resume, TheProgressLineCountsTheTrialsOfEarlierRuns) {
  test::TempDir dir;
  const auto study = finished_six_then_raised_to_ten(dir);
  std::ostringstream progress;
  auto options = test::quiet_options(true);
  options.verbosity = 1;
  options.out = &progress;
  CallableObjective plain([](const Trial& trial, Reporter&) { return loss_of(trial); });
  run_in_process(study, plain, options, 2);
  EXPECT_NE(progress.str().find("[h5tune] 10/10 finished (10 complete, 0 failed, 0 pruned), 0 running"),
            std::string::npos)
      << progress.str();
}

TEST(Resume, MissingLogStartsAfresh) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "run.h5", 5);
  EXPECT_EQ(resume(study, 2).trials, 5);
  EXPECT_EQ(LogReader(study.log).trial_count(), 5);
}

TEST(Resume, CorruptOrForeignLogIsALogFormatError) {
  test::TempDir dir;
  const auto study = test::small_study(dir / "run.h5", 5);
  std::ofstream(study.log) << "not an HDF5 file";
  EXPECT_THROW(resume(study, 2), LogFormatError);
  const auto size = std::filesystem::file_size(study.log);
  EXPECT_EQ(size, 16u) << "left untouched";
}

}  // namespace
}  // namespace h5tune
