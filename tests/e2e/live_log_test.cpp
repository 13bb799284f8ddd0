// Reading a log while `h5tune run` writes it, and after the run was SIGKILLed.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"
#include "e2e/log_polling.hpp"
#include "e2e/mpiexec_cli.hpp"
#include "h5tune/error.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {


TEST(LiveLog, ShowAndExportWorkWhileTheRunWrites) {
  TempDir dir;
  const auto hold = write_file(dir / "hold", "2");
  const auto study = write_file(dir / "study.toml", held_study_text(12, hold));
  BackgroundProcess run({cli, "run", study, "-q"}, (dir / "run.out").string());
  ASSERT_GE(wait_for_finished(dir / "run.h5", 2, 60), 2) << read_file(dir / "run.out");

  const auto show = run_process({cli, "show", (dir / "run.h5").string()});
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("running"), std::string::npos) << show.output;
  const auto csv = run_process({cli, "export", (dir / "run.h5").string()});
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  EXPECT_NE(csv.output.find(",running,"), std::string::npos) << csv.output;
  EXPECT_NE(csv.output.find(",complete,"), std::string::npos) << csv.output;

  std::filesystem::remove(hold);
  EXPECT_EQ(run.wait(), 0) << read_file(dir / "run.out");
  LogReader done(dir / "run.h5");
  EXPECT_EQ(done.trial_count(), 12);
}

TEST(LiveLog, SigkilledRunLeavesAReadableLogWithItsFinishedTrials) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(1000, "random", 0.05));
  BackgroundProcess run({cli, "run", study, "-q"}, (dir / "run.out").string());
  ASSERT_GE(wait_for_finished(dir / "run.h5", 5, 60), 5) << read_file(dir / "run.out");
  EXPECT_EQ(run.signal_and_wait(SIGKILL), 128 + SIGKILL);

  LogReader log(dir / "run.h5");
  const auto trials = log.trials();
  std::int64_t complete = 0;
  for (const auto& t : trials) complete += t.state == TrialState::complete ? 1 : 0;
  EXPECT_GE(complete, 5) << "every trial flushed before the kill is there";
  const auto show = run_process({cli, "show", (dir / "run.h5").string()});
  EXPECT_EQ(show.exit_code, 0) << show.output;
  const auto csv = run_process({cli, "export", (dir / "run.h5").string()});
  EXPECT_EQ(csv.exit_code, 0) << csv.output;
  EXPECT_EQ(lines(csv.output).size(), trials.size() + 1);
}

}  // namespace
}  // namespace h5tune::test

namespace h5tune::test {
namespace {

// Starts `argv` (an h5tune run of 5-second trials), waits until `workers` trials run, sends
// SIGINT and returns the exit code; the log must then hold exactly those trials, interrupted.
int interrupt_when_running(const std::vector<std::string>& argv, const TempDir& dir, std::int64_t workers) {
  BackgroundProcess run(argv, (dir / "run.out").string());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::int64_t running = 0;
  while (running < workers && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    try {
      LogReader log(dir / "run.h5");
      running = 0;
      for (const auto& t : log.trials()) running += t.state == TrialState::running ? 1 : 0;
    } catch (const LogFormatError&) {
    }
  }
  EXPECT_EQ(running, workers) << read_file(dir / "run.out");
  const int code = run.signal_and_wait(SIGINT);
  LogReader log(dir / "run.h5");
  const auto trials = log.trials();
  EXPECT_EQ(trials.size(), static_cast<std::size_t>(workers));
  for (const auto& t : trials) EXPECT_EQ(t.state, TrialState::interrupted) << t.message;
  return code;
}

TEST(LiveLog, SigintInterruptsRunningTrialsClosesTheLogAndExitsWith3) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(1000, "random", 5.0));
  EXPECT_EQ(interrupt_when_running({cli, "run", study, "-q"}, dir, 1), 3) << read_file(dir / "run.out");
  EXPECT_NE(read_file(dir / "run.out").find("1 interrupted"), std::string::npos) << read_file(dir / "run.out");
}

// mpiexec forwards the signal to every rank and reports its own exit code (not rank 0's).
TEST(LiveLog, SigintToMpiexecInterruptsTheTrialsOfEveryWorker) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(1000, "random", 5.0));
  const int code = interrupt_when_running(mpiexec_cli(3, {"run", study, "-q"}), dir, 2);
  EXPECT_NE(code, 0);
  EXPECT_NE(read_file(dir / "run.out").find("2 interrupted"), std::string::npos) << read_file(dir / "run.out");
}

// What the Slurm batch script relies on: rank 0 alone names itself in --pid-file once a
// SIGTERM stops the run cleanly, and SIGTERM to that process (not to mpiexec) stops every
// worker's trial as interrupted.
TEST(LiveLog, PidFileNamesRank0AndSigtermToItStopsTheRun) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(1000, "random", 5.0));
  const auto pid_file = dir / "rank0.pid";
  BackgroundProcess run(mpiexec_cli(3, {"run", study, "-q", "--pid-file", pid_file.string()}),
                        (dir / "run.out").string());
  ASSERT_TRUE(wait_for_log(dir / "run.h5", 60, [](const std::vector<TrialRecord>& trials) {
    return std::count_if(trials.begin(), trials.end(), [](const auto& t) { return t.state == TrialState::running; }) == 2;
  })) << read_file(dir / "run.out");
  const std::string text = read_file(pid_file);
  ASSERT_FALSE(text.empty());
  const pid_t rank0 = static_cast<pid_t>(std::stol(text));
  EXPECT_NE(rank0, run.pid()) << "the file names rank 0, not mpiexec";
  ASSERT_EQ(kill(rank0, SIGTERM), 0);
  run.wait();
  EXPECT_FALSE(std::filesystem::exists(pid_file)) << "rank 0 removes the file when it ends";
  EXPECT_NE(read_file(dir / "run.out").find("2 interrupted"), std::string::npos) << read_file(dir / "run.out");
  const auto trials = LogReader(dir / "run.h5").trials();
  ASSERT_EQ(trials.size(), 2u);
  for (const auto& t : trials) EXPECT_EQ(t.state, TrialState::interrupted) << t.message;
}

}  // namespace
}  // namespace h5tune::test
