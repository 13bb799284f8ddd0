// max_retries and max_failures through the h5tune binary with real commands, in one
// process and under mpiexec.
#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {

// Fails its first attempt (leaves a mark in its trial directory, which a retry reuses),
// succeeds on the second. Trials whose x is below -2 fail every time.
constexpr const char* flaky_script = R"(#!/bin/sh
if [ -e first_attempt_done ]; then
  case "$1" in -[234]*) echo "diverged at x=$1" >&2; exit 3;; esac
  echo "h5tune: loss=$1"
else
  touch first_attempt_done
  echo "node lost its GPU" >&2
  exit 1
fi
)";

std::string flaky_study(const TempDir& dir, int max_trials, const std::string& keys) {
  write_file(dir / "flaky.sh", flaky_script);
  return write_file(dir / "study.toml", fmt::format(R"([study]
name = "flaky"
direction = "minimize"
metric = "loss"
seed = 5
max_trials = {}
log = "run.h5"
{}
[objective]
command = ["sh", "{}", "{{x}}"]
timeout = "20s"

[space]
x = {{ float = [-4.0, 4.0] }}
)",
                                                    max_trials, keys, (dir / "flaky.sh").string()));
}

void expect_retried_log(const TempDir& dir, int max_trials) {
  LogReader log(dir / "run.h5");
  const auto trials = log.trials();
  ASSERT_EQ(trials.size(), static_cast<std::size_t>(max_trials));
  for (const auto& t : trials) {
    EXPECT_EQ(t.attempt, 1) << "trial " << t.id;
    if (t.values[0] < -2.0) {
      EXPECT_EQ(t.state, TrialState::failed) << "trial " << t.id;
      EXPECT_NE(t.message.find("attempt 2: exit code 3; earlier attempt 1: exit code 1"), std::string::npos)
          << t.message;
      EXPECT_NE(t.stderr_tail.find("diverged at x="), std::string::npos) << t.stderr_tail;
    } else {
      EXPECT_EQ(t.state, TrialState::complete) << "trial " << t.id;
      EXPECT_DOUBLE_EQ(t.value, t.values[0]);
    }
  }
}

TEST(FailurePolicyCli, FlakyTrialsRunAgainAndComplete) {
  TempDir dir;
  const auto study = flaky_study(dir, 12, "max_retries = 1");
  const auto result = run_process({cli, "run", "--quiet", study});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("12 failed attempts run again"), std::string::npos) << result.output;
  expect_retried_log(dir, 12);
}

TEST(FailurePolicyCli, ShowCountsAttemptsAsTheMessageDoes) {
  TempDir dir;
  const auto study = flaky_study(dir, 12, "max_retries = 1");
  ASSERT_EQ(run_process({cli, "run", "--quiet", study}).exit_code, 0);
  std::int64_t failed = -1;
  for (const auto& t : LogReader(dir / "run.h5").trials())
    if (t.state == TrialState::failed) failed = t.id;
  ASSERT_GE(failed, 0) << "seed 5 gives a trial with x below -2";
  const auto shown = run_process({cli, "show", (dir / "run.h5").string(), "--trial", std::to_string(failed)});
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find("state      failed (attempt 2)\n"), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("attempt 2: exit code 3; earlier attempt 1: exit code 1"), std::string::npos) << shown.output;
}

TEST(FailurePolicyCli, FlakyTrialsRunAgainUnderMpi) {
  TempDir dir;
  const auto study = flaky_study(dir, 12, "max_retries = 1");
  const auto result = run_process({H5TUNE_MPIEXEC, "-n", "3", "--oversubscribe", cli, "run", "--quiet", study}, mpi_env);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  expect_retried_log(dir, 12);
}

TEST(FailurePolicyCli, ABrokenObjectiveStopsTheStudyWithExitCode1) {
  TempDir dir;
  // Without retries every first attempt fails.
  const auto study = flaky_study(dir, 500, "max_failures = 3");
  const auto result = run_process({cli, "run", "--quiet", study});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("stopped because the objective looks broken: 4 trials failed, more than "
                               "max_failures = 3 ([study] max_failures)"),
            std::string::npos)
      << result.output;
  LogReader log(dir / "run.h5");
  EXPECT_LT(log.trials().size(), 10u);
  for (const auto& t : log.trials()) EXPECT_TRUE(is_finished(t.state)) << "trial " << t.id;
}

TEST(FailurePolicyCli, MaxFailuresCountsTheFailuresOfEarlierRunsOnResume) {
  TempDir dir;
  const auto study = flaky_study(dir, 500, "max_failures = 3");
  ASSERT_EQ(run_process({cli, "run", "--quiet", study}).exit_code, 1);
  const std::string stopped = read_file(dir / "run.h5");

  // The study's limit is reached already: resuming is refused, and the log left as it was.
  const auto refused = run_process({cli, "run", "--quiet", "--resume", study});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("not resumed: 4 trials failed (4 of them in earlier runs), more than max_failures = 3"),
            std::string::npos)
      << refused.output;
  EXPECT_NE(refused.output.find("raise [study] max_failures"), std::string::npos) << refused.output;
  EXPECT_EQ(read_file(dir / "run.h5"), stopped);

  // Raised to 5, the resumed run stops after 2 more failures, not 6.
  write_file(study, [&] {
    std::string text = read_file(study);
    text.replace(text.find("max_failures = 3"), 16, "max_failures = 5");
    return text;
  }());
  const auto resumed = run_process({cli, "run", "--quiet", "--resume", study});
  EXPECT_EQ(resumed.exit_code, 1) << resumed.output;
  EXPECT_NE(resumed.output.find("6 trials failed (4 of them in earlier runs), more than max_failures = 5"), std::string::npos)
      << resumed.output;
  int failed = 0;
  for (const auto& t : LogReader(dir / "run.h5").trials()) failed += t.state == TrialState::failed;
  EXPECT_EQ(failed, 6);
}

}  // namespace
}  // namespace h5tune::test
