// PBT over the in-process transport with C++ callables: the Trial view's checkpoint
// directories, retention at rank 0, and a stopped run resumed to a consistent lineage.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

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

StudyConfig pbt_study(const std::filesystem::path& log, std::int64_t max_trials) {
  auto study = test::small_study(log, max_trials, "pbt");
  study.strategy.options.set("population", std::int64_t{4});
  study.strategy.options.set("interval", std::int64_t{2});
  return study;
}

/// A training stand-in: the checkpoint file holds the writer's id and the steps trained.
/// Records a failure when a restore does not find the parent's checkpoint.
struct Segments {
  std::mutex mutex;
  std::vector<std::string> problems;

  Metrics train(const Trial& trial) {
    const auto trials_dir = std::filesystem::absolute(dir);
    std::int64_t steps = 0;
    auto complain = [&](std::string what) {
      std::lock_guard lock(mutex);
      problems.push_back("trial " + std::to_string(trial.id()) + ": " + what);
    };
    if (trial.checkpoint_dir() != trials_dir / std::to_string(trial.id()) / "checkpoint")
      complain("checkpoint_dir() is " + trial.checkpoint_dir().string());
    if (trial.parent() >= 0) {
      if (trial.restore_from() != trials_dir / std::to_string(trial.parent()) / "checkpoint")
        complain("restore_from() is " + trial.restore_from().string());
      std::ifstream in(trial.restore_from() / "state");
      std::int64_t owner = -1;
      if (!(in >> owner >> steps) || owner != trial.parent()) complain("no checkpoint of its parent to restore");
    } else if (!trial.restore_from().empty()) {
      complain("restore_from() set without a parent");
    }
    steps += trial.budget();
    std::filesystem::create_directories(trial.checkpoint_dir());
    std::ofstream(trial.checkpoint_dir() / "state") << trial.id() << ' ' << steps << '\n';
    const double x = trial.number("x");
    return {{"loss", (x - 1.0) * (x - 1.0) - 0.01 * static_cast<double>(steps)}, {"steps", static_cast<double>(steps)}};
  }

  std::filesystem::path dir;  ///< the study's trial directories
};

void expect_consistent_lineage(const std::vector<TrialRecord>& trials, std::int64_t interval) {
  std::vector<std::int64_t> generation(trials.size(), 0);
  for (const auto& t : trials) {
    ASSERT_EQ(t.state, TrialState::complete) << "trial " << t.id << ": " << t.message;
    ASSERT_LT(t.parent, t.id);
    const auto id = static_cast<std::size_t>(t.id);
    if (t.parent >= 0) generation[id] = generation[static_cast<std::size_t>(t.parent)] + 1;
    EXPECT_EQ(find_metric(t.metrics, "steps").value_or(-1.0), static_cast<double>((generation[id] + 1) * interval))
        << "trial " << t.id;
  }
}

TEST(PbtRun, CallablesGetCheckpointDirectoriesAndRankZeroDeletesReleasedOnes) {
  test::TempDir dir;
  const auto study = pbt_study(dir / "pbt.h5", 40);
  Segments segments;
  segments.dir = study.default_trials_dir();
  CallableObjective objective([&](const Trial& trial, Reporter&) { return segments.train(trial); });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 3);
  EXPECT_EQ(summary.complete, 40);
  EXPECT_TRUE(segments.problems.empty()) << segments.problems.front();
  const auto trials = LogReader(study.log).trials();
  ASSERT_EQ(trials.size(), 40u);
  expect_consistent_lineage(trials, 2);
  int kept = 0;
  for (const auto& t : trials) kept += std::filesystem::exists(segments.dir / std::to_string(t.id) / "checkpoint");
  EXPECT_LE(kept, 2 * 4 + 1);
  EXPECT_GE(kept, 4);
  ASSERT_TRUE(summary.best);
  EXPECT_TRUE(std::filesystem::exists(segments.dir / std::to_string(summary.best->id) / "checkpoint"));
}

TEST(PbtRun, StoppedRunResumesEveryMemberFromItsCheckpoint) {
  test::TempDir dir;
  const auto study = pbt_study(dir / "pbt.h5", 36);
  Segments segments;
  segments.dir = study.default_trials_dir();
  std::atomic<bool> stop{false};
  std::atomic<int> started{0};
  CallableObjective stopping([&](const Trial& trial, Reporter& reporter) -> Metrics {
    if (++started < 15) return segments.train(trial);
    stop = true;
    while (!reporter.should_stop()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return {};
  });
  const auto first = run_in_process(study, stopping, test::quiet_options(), 2, &stop);
  ASSERT_GE(first.interrupted, 1);

  CallableObjective objective([&](const Trial& trial, Reporter&) { return segments.train(trial); });
  const auto second = run_in_process(study, objective, test::quiet_options(true), 2);
  EXPECT_FALSE(second.stopped_by_signal);
  EXPECT_TRUE(segments.problems.empty()) << segments.problems.front();
  const auto trials = LogReader(study.log).trials();
  ASSERT_EQ(trials.size(), 36u);
  expect_consistent_lineage(trials, 2);
}

}  // namespace
}  // namespace h5tune
