// `h5tune run --resume` after the run was SIGKILLed: alone and under mpiexec.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"
#include "e2e/log_polling.hpp"
#include "h5tune/error.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {


/// Seconds each trial of the killed studies sleeps: 24 of them take about 4 s, so the log,
/// flushed about once a second, shows the run mid-way several times before it ends (with
/// 0.05 s a 1.4 s run once ended before a poll saw it mid-way).
constexpr double trial_pause = 0.15;

/// Starts `h5tune run` on a study of `max_trials` trials, SIGKILLs it once a few trials
/// finished while the log shows one unfinished, and returns the trials its log holds then.
/// Waiting for the unfinished row matters: a kill in the gap between two trials leaves none
/// to re-run.
std::vector<TrialRecord> run_and_kill(const TempDir& dir, const std::string& study) {
  BackgroundProcess run({cli, "run", study, "-q"}, (dir / "run.out").string());
  const bool mid_trial = wait_for_log(dir / "run.h5", 60, [](const std::vector<TrialRecord>& trials) {
    return count_finished(trials) >= 6 && count_finished(trials) < static_cast<std::int64_t>(trials.size());
  });
  EXPECT_TRUE(mid_trial) << read_file(dir / "run.out");
  EXPECT_EQ(run.signal_and_wait(SIGKILL), 128 + SIGKILL);
  return LogReader(dir / "run.h5").trials();
}

/// The log holds ids 0..max_trials-1 once each, all complete; trials unfinished at the
/// kill ran again (attempt 1) with their parameters; finished ones are unchanged.
void expect_finished_once(const TempDir& dir, const std::vector<TrialRecord>& before, std::size_t max_trials) {
  const auto after = LogReader(dir / "run.h5").trials();
  ASSERT_EQ(after.size(), max_trials);
  std::set<std::int64_t> ids;
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].id, static_cast<std::int64_t>(i));
    ids.insert(after[i].id);
    EXPECT_EQ(after[i].state, TrialState::complete) << "trial " << i << ": " << after[i].message;
  }
  EXPECT_EQ(ids.size(), max_trials);
  std::int64_t rerun = 0;
  for (const auto& old : before) {
    const auto& now = after[static_cast<std::size_t>(old.id)];
    if (old.state == TrialState::complete) {
      EXPECT_EQ(now, old) << "trial " << old.id;
    } else {
      ++rerun;
      EXPECT_EQ(now.attempt, old.attempt + 1) << "trial " << old.id;
      if (!old.values.empty()) {
        EXPECT_EQ(now.values, old.values) << "trial " << old.id;
      }
    }
  }
  EXPECT_GE(rerun, 1) << "a trial was running at the kill";
  // Each trial's learning curve is that of its logged attempt: steps 1..3 once, although a
  // re-run trial may have reported steps before the kill too.
  std::map<std::int64_t, std::vector<std::int64_t>> steps;
  for (const auto& report : LogReader(dir / "run.h5").reports()) {
    EXPECT_EQ(report.attempt, after[static_cast<std::size_t>(report.trial)].attempt) << "trial " << report.trial;
    steps[report.trial].push_back(report.step);
  }
  for (std::size_t i = 0; i < max_trials; ++i)
    EXPECT_EQ(steps[static_cast<std::int64_t>(i)], (std::vector<std::int64_t>{1, 2, 3})) << "trial " << i;
}

TEST(ResumeCli, SigkilledRunResumesToExactlyItsBudget) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(24, "tpe", trial_pause));
  const auto before = run_and_kill(dir, study);
  ASSERT_LT(before.size(), 24u);
  const auto resumed = run_process({cli, "run", study, "--resume", "-q"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  expect_finished_once(dir, before, 24);
  const auto again = run_process({cli, "run", study, "--resume", "-q"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(LogReader(dir / "run.h5").trial_count(), 24) << "a finished study resumes to itself";
}

TEST(ResumeCli, SigkilledRunResumesUnderMpiexec) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(24, "random", trial_pause));
  const auto before = run_and_kill(dir, study);
  ASSERT_LT(before.size(), 24u);
  const auto resumed =
      run_process({H5TUNE_MPIEXEC, "-n", "3", "--oversubscribe", cli, "run", study, "--resume", "-q"}, mpi_env);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  expect_finished_once(dir, before, 24);
  std::set<int> ranks;
  for (const auto& t : LogReader(dir / "run.h5").trials()) ranks.insert(t.rank);
  EXPECT_TRUE(ranks.count(1) && ranks.count(2)) << "the resumed trials ran on the worker ranks";
}

/// True once `pid` has ended: gone, or a zombie that nobody reaps (an orphan's new parent
/// may be a container's init that does not wait).
bool process_ended(pid_t pid) {
  const std::string stat = read_file(fmt::format("/proc/{}/stat", pid));
  if (stat.empty()) return true;
  const auto state = stat.find(") ");
  return state != std::string::npos && stat[state + 2] == 'Z';
}

/// Polls until `done()` or `seconds` pass; returns done().
template <typename Done>
bool eventually(double seconds, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!done() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return done();
}

/// A one-trial study whose trial runs `script` with sh (in its trial directory,
/// <dir>/run.trials/0).
std::string one_trial_study(const TempDir& dir, const std::string& script) {
  return write_file(dir / "study.toml", fmt::format(R"([study]
name = "leftovers"
direction = "minimize"
metric = "loss"
max_trials = 1
log = "run.h5"

[strategy]
kind = "random"

[objective]
command = ["sh", "-c", "{}"]

[space]
x = {{ float = [0.0, 1.0] }}
)",
                                                    script));
}

/// Starts `h5tune run` on `study`, waits for the trial to write a pid to `pid_file`,
/// SIGKILLs the run, and returns that pid.
pid_t kill_run_once_trial_wrote(const TempDir& dir, const std::string& study, const std::filesystem::path& pid_file) {
  BackgroundProcess run({cli, "run", study, "-q"}, (dir / "run.out").string());
  EXPECT_TRUE(eventually(60, [&] { return std::filesystem::exists(pid_file); })) << read_file(dir / "run.out");
  const pid_t pid = std::filesystem::exists(pid_file) ? std::stoi(read_file(pid_file)) : 0;
  EXPECT_EQ(run.signal_and_wait(SIGKILL), 128 + SIGKILL);
  return pid;
}

/// Expects `pid` to end within a few seconds; kills it if not, so no test leaves it behind.
void expect_ends(pid_t pid, const std::string& what) {
  const bool ended = eventually(10, [&] { return process_ended(pid); });
  if (!ended) kill(pid, SIGKILL);
  EXPECT_TRUE(ended) << what << " (pid " << pid << ") is still running";
}

// A SIGKILLed `h5tune run` leaves no trial running: the kernel kills the program with it
// (PR_SET_PDEATHSIG), so a --resume cannot start the trial again beside it.
TEST(ResumeCli, ASigkilledRunTakesItsRunningTrialWithIt) {
  TempDir dir;
  const auto pid_file = dir / "trial.pid";
  const auto study = one_trial_study(
      dir, fmt::format("echo $$ > {0}.part && mv {0}.part {0} && exec sleep 120", pid_file.string()));
  const pid_t trial = kill_run_once_trial_wrote(dir, study, pid_file);
  ASSERT_GT(trial, 0);
  expect_ends(trial, "the trial's program, after the run was killed,");
}

// What the program started itself survives the kill (the parent-death signal is not
// inherited); the --resume that runs the trial again in its directory ends it first.
TEST(ResumeCli, TheResumedAttemptEndsWhatTheKilledOneLeftInItsDirectory) {
  TempDir dir;
  const auto pid_file = dir / "run.trials" / "0" / "child.pid";
  const auto study = one_trial_study(
      dir, "if [ -f child.pid ]; then echo h5tune: loss=1; exit 0; fi; "
           "sleep 120 & echo $! > child.part && mv child.part child.pid; wait");
  const pid_t leftover = kill_run_once_trial_wrote(dir, study, pid_file);
  ASSERT_GT(leftover, 0);
  const auto resumed = run_process({cli, "run", study, "--resume", "-q"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.output;
  expect_ends(leftover, "the killed attempt's background process, after the resume,");
  const auto trials = LogReader(dir / "run.h5").trials();
  ASSERT_EQ(trials.size(), 1u);
  EXPECT_EQ(trials[0].state, TrialState::complete) << trials[0].message;
}

// Logs written before reports carried their attempt: /reports has no `attempt` field. They
// are still read (every report counts) and resumed (new rows go in without the field).
TEST(ResumeCli, ALogWhoseReportsHaveNoAttemptIsReadAndResumed) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(4));
  ASSERT_EQ(run_process({cli, "run", study, "-q"}).exit_code, 0);
  const auto strip = run_process({"/usr/bin/python3", H5TUNE_SOURCE_DIR "/tests/support/strip_report_attempt.py",
                                   (dir / "run.h5").string()});
  ASSERT_EQ(strip.exit_code, 0) << strip.output;

  const auto show = run_process({cli, "show", (dir / "run.h5").string(), "--trial", "0"});
  EXPECT_EQ(show.exit_code, 0) << show.output;
  write_file(dir / "study.toml", study_text(6));
  const auto resumed = run_process({cli, "run", study, "--resume", "-q"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const LogReader log(dir / "run.h5");
  EXPECT_EQ(log.trial_count(), 6);
  std::map<std::int64_t, std::vector<std::int64_t>> steps;
  for (const auto& report : log.reports()) steps[report.trial].push_back(report.step);
  for (std::int64_t id = 0; id < 6; ++id) EXPECT_EQ(steps[id], (std::vector<std::int64_t>{1, 2, 3})) << "trial " << id;
  const auto layout = run_process({"/usr/bin/python3", "-c",
                                   "import sys, h5py\nprint('attempt' in h5py.File(sys.argv[1], 'r')['reports'].dtype.names)",
                                   (dir / "run.h5").string()});
  EXPECT_EQ(layout.output, "False\n") << "the resume kept the file's layout";
}

TEST(ResumeCli, MissingLogStartsAfreshAndAForeignLogExitsWith2) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(3));
  const auto fresh = run_process({cli, "run", study, "--resume", "-q"});
  ASSERT_EQ(fresh.exit_code, 0) << fresh.output;
  EXPECT_EQ(LogReader(dir / "run.h5").trial_count(), 3);

  write_file(dir / "run.h5", "garbage, not HDF5");
  const auto foreign = run_process({cli, "run", study, "--resume", "-q"});
  EXPECT_EQ(foreign.exit_code, 2) << foreign.output;
  EXPECT_NE(foreign.output.find("not an HDF5 file"), std::string::npos) << foreign.output;

  const auto other = write_file(dir / "other.toml", study_text(3, "sobol"));
  std::filesystem::remove(dir / "run.h5");
  ASSERT_EQ(run_process({cli, "run", study, "-q"}).exit_code, 0);
  const auto refused = run_process({cli, "run", other, "--resume", "-q"});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("strategy is 'random'"), std::string::npos) << refused.output;
}

}  // namespace
}  // namespace h5tune::test
