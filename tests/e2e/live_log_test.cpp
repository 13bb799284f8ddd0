// Reading a log while `h5tune run` writes it, and after the run was SIGKILLed.
#include <signal.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"
#include "h5tune/error.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {

// Polls (with a deadline) until the log holds at least `trials` finished trials.
std::int64_t wait_for_finished(const std::filesystem::path& log, std::int64_t trials, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      LogReader reader(log);
      std::int64_t finished = 0;
      for (const auto& t : reader.trials()) finished += is_finished(t.state) ? 1 : 0;
      if (finished >= trials) return finished;
    } catch (const LogFormatError&) {
      // not created yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

TEST(LiveLog, ShowAndExportWorkWhileTheRunWrites) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(12, "random", 0.25));
  BackgroundProcess run({cli, "run", study, "-q"}, (dir / "run.out").string());
  ASSERT_GE(wait_for_finished(dir / "run.h5", 2, 60), 2) << read_file(dir / "run.out");

  const auto show = run_process({cli, "show", (dir / "run.h5").string()});
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("running"), std::string::npos) << show.output;
  const auto csv = run_process({cli, "export", (dir / "run.h5").string()});
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  EXPECT_NE(csv.output.find(",running,"), std::string::npos) << csv.output;
  EXPECT_NE(csv.output.find(",complete,"), std::string::npos) << csv.output;

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
