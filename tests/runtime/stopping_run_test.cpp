// Early stopping through the whole runtime: manager and workers in one process, with a
// real log. ASHA prunes trials whose learning curves are worse, and a pruned external
// command is really gone afterwards.
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "h5tune/command.hpp"
#include "h5tune/log.hpp"
#include "h5tune/objective.hpp"
#include "runtime/session.hpp"
#include "support/quiet_options.hpp"
#include "support/study_builder.hpp"
#include "support/temp_dir.hpp"

namespace h5tune {
namespace {

using runtime::run_in_process;

StoppingConfig asha(std::int64_t max_resource) {
  StoppingConfig config;
  config.kind = StoppingKind::asha;
  config.max_resource = max_resource;
  return config;
}

std::map<std::int64_t, std::vector<std::int64_t>> steps_by_trial(const std::vector<Report>& reports) {
  std::map<std::int64_t, std::vector<std::int64_t>> steps;
  for (const auto& r : reports) steps[r.trial].push_back(r.step);
  for (auto& [trial, list] : steps) std::sort(list.begin(), list.end());
  return steps;
}

struct RungRule {
  const char* name;
  StoppingKind kind;
  bool shared_rungs;
};

void PrintTo(const RungRule& rule, std::ostream* out) { *out << rule.name; }

class StoppingRunRungs : public ::testing::TestWithParam<RungRule> {};

// Learning curves loss(step) = x^2 + 1/step never cross, so ASHA (and each Hyperband
// bracket, shared rungs or not) must keep the trial with the smallest x^2 at every rung,
// and may cut the others.
TEST_P(StoppingRunRungs, PrunesWorseCurvesAndKeepsTheBest) {
  test::TempDir dir;
  constexpr std::int64_t max_trials = 60;
  constexpr std::int64_t max_resource = 27;
  auto study = test::small_study(dir / "run.h5", max_trials);
  study.stopping = asha(max_resource);
  study.stopping->kind = GetParam().kind;
  study.stopping->shared_rungs = GetParam().shared_rungs;
  CallableObjective objective([](const Trial& trial, Reporter& reporter) -> Metrics {
    const double base = trial.number("x") * trial.number("x");
    double loss = 0.0;
    for (std::int64_t step = 1; step <= max_resource; ++step) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // an epoch of training
      loss = base + 1.0 / static_cast<double>(step);
      if (!reporter.report(step, {{"loss", loss}})) break;
    }
    return {{"loss", loss}};
  });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 2);
  EXPECT_EQ(summary.trials, max_trials);
  EXPECT_GT(summary.pruned, 0);
  EXPECT_GT(summary.complete, 0);
  EXPECT_EQ(summary.pruned + summary.complete, max_trials);

  LogReader log(study.log);
  const auto trials = log.trials();
  ASSERT_EQ(trials.size(), static_cast<std::size_t>(max_trials));
  const auto steps = steps_by_trial(log.reports());
  std::size_t total_steps = 0;
  const TrialRecord* best_curve = nullptr;
  for (const auto& t : trials) {
    if (!best_curve || t.values[0] * t.values[0] < best_curve->values[0] * best_curve->values[0]) best_curve = &t;
    const auto found = steps.find(t.id);
    ASSERT_NE(found, steps.end()) << "trial " << t.id << " has no reports";
    const auto& list = found->second;
    total_steps += list.size();
    // Every report up to the last one is logged, once, in order.
    for (std::size_t i = 0; i < list.size(); ++i) ASSERT_EQ(list[i], static_cast<std::int64_t>(i) + 1) << t.id;
    if (t.state == TrialState::pruned) {
      EXPECT_LT(list.back(), max_resource) << "trial " << t.id;
      EXPECT_TRUE(std::isnan(t.value));
    } else {
      ASSERT_EQ(t.state, TrialState::complete) << t.id << ": " << t.message;
      EXPECT_EQ(list.back(), max_resource);
    }
  }
  // Without stopping every trial would report max_resource steps; ASHA needs about
  // (number of rungs + 1) steps per trial here, Hyperband more (its last bracket runs
  // every trial to the end), plus the steps a trial runs on while its cancel travels.
  RecordProperty("total_reported_steps", static_cast<int>(total_steps));
  EXPECT_LT(total_steps, static_cast<std::size_t>(max_trials * max_resource) / 2)
      << "total reported steps " << total_steps;
  ASSERT_NE(best_curve, nullptr);
  EXPECT_EQ(best_curve->state, TrialState::complete) << "trial " << best_curve->id;
  ASSERT_TRUE(summary.best);
  EXPECT_EQ(summary.best->id, best_curve->id);
}

INSTANTIATE_TEST_SUITE_P(Rules, StoppingRunRungs,
                         ::testing::Values(RungRule{"asha", StoppingKind::asha, false},
                                           RungRule{"hyperband", StoppingKind::hyperband, false},
                                           RungRule{"hyperband_shared_rungs", StoppingKind::hyperband, true}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(StoppingRun, ReportsWithoutTheRulesMetricStopNothing) {
  test::TempDir dir;
  auto study = test::small_study(dir / "run.h5", 12);
  study.stopping = asha(9);
  study.stopping->metric = "val_loss";  // never reported
  CallableObjective objective([](const Trial& trial, Reporter& reporter) -> Metrics {
    for (std::int64_t step = 1; step <= 9; ++step)
      if (!reporter.report(step, {{"loss", static_cast<double>(trial.id())}})) break;
    return {{"loss", static_cast<double>(trial.id())}};
  });
  const auto summary = run_in_process(study, objective, test::quiet_options(), 2);
  EXPECT_EQ(summary.complete, 12);
  EXPECT_EQ(summary.pruned, 0);
}

bool process_gone(pid_t pid) { return kill(pid, 0) == -1 && errno == ESRCH; }

// Members of process group `group` that still run. A member killed with the group may
// linger for a moment as a zombie until init reaps it (its parent, the shell, is gone), or
// with the kill still pending until it is scheduled: neither runs any more.
std::vector<pid_t> live_members(pid_t group) {
  std::vector<pid_t> live;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat_file(entry.path() / "stat");
    std::string stat;
    if (!std::getline(stat_file, stat)) continue;  // exited meanwhile
    const auto after_name = stat.rfind(')');
    if (after_name == std::string::npos) continue;
    std::istringstream fields(stat.substr(after_name + 1));
    char state = 0;
    long parent = 0, process_group = 0;
    fields >> state >> parent >> process_group;
    if (process_group != group || state == 'Z' || state == 'X') continue;
    std::ifstream status_file(entry.path() / "status");
    bool kill_pending = false;
    for (std::string line; std::getline(status_file, line);) {
      if (line.rfind("SigPnd:", 0) != 0 && line.rfind("ShdPnd:", 0) != 0) continue;
      const auto mask = std::stoull(line.substr(7), nullptr, 16);
      kill_pending = kill_pending || (mask >> (SIGKILL - 1)) & 1u;
    }
    if (!kill_pending) live.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return live;
}

// A command that reports one step every 50 ms for 20 steps, its loss its trial id: trial 0
// is best, so with one worker every later trial is cut at the first rung (step 1).
TEST(StoppingRun, APrunedCommandIsKilledWithItsProcessGroup) {
  test::TempDir dir;
  auto study = test::small_study(dir / "run.h5", 4);
  study.stopping = asha(20);
  CommandSpec spec;
  spec.argv = {"sh", "-c",
               "echo $$ > pid; i=1; while [ $i -le 20 ]; do echo \"h5tune: step=$i loss=$H5TUNE_TRIAL_ID\"; "
               "sleep 0.05; i=$((i+1)); done; echo \"h5tune: loss=$H5TUNE_TRIAL_ID\""};
  spec.trials_dir = dir / "trials";
  spec.kill_grace = std::chrono::milliseconds(2000);
  study.command = spec;
  CommandObjective objective(spec, study.space);
  const auto summary = run_in_process(study, objective, test::quiet_options(), 1);
  EXPECT_EQ(summary.complete, 1);
  EXPECT_EQ(summary.pruned, 3);

  LogReader log(study.log);
  const auto steps = steps_by_trial(log.reports());
  for (const auto& t : log.trials()) {
    std::ifstream pid_file(trial_directory(spec, t.id) / "pid");
    pid_t pid = 0;
    ASSERT_TRUE(pid_file >> pid) << "trial " << t.id << " wrote no pid";
    ASSERT_GT(pid, 0);
    // The shell was reaped, and led its own process group: nothing of it, such as its
    // `sleep`, may run on.
    EXPECT_TRUE(process_gone(pid)) << "trial " << t.id << " pid " << pid;
    EXPECT_TRUE(live_members(pid).empty()) << "trial " << t.id << " process group " << pid;
    const auto& list = steps.at(t.id);
    if (t.id == 0) {
      EXPECT_EQ(t.state, TrialState::complete) << t.message;
      EXPECT_EQ(list.size(), 20u);
    } else {
      EXPECT_EQ(t.state, TrialState::pruned) << "trial " << t.id << ": " << t.message;
      // Rank 0 says why, not the objective's "stopped on request"; the shell's exit status
      // after SIGTERM may follow in parentheses.
      EXPECT_EQ(t.message.rfind("pruned by the asha rule at step ", 0), 0u) << t.message;
      EXPECT_GE(list.size(), 1u);
      EXPECT_LT(list.size(), 20u);
    }
  }
}

}  // namespace
}  // namespace h5tune
