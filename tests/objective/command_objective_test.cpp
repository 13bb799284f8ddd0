// CommandObjective with real child programs. The test process makes itself a child
// subreaper: orphaned grandchildren of a trial are re-parented to it, so a test can reap
// them and prove they were SIGKILLed (this machine's init does not reap zombies, and a
// zombie still counts for kill(-pgid, 0)).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "h5tune/command.hpp"
#include "h5tune/error.hpp"
#include "objective/objective_test_support.hpp"

namespace h5tune {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::filesystem::path data_dir = H5TUNE_TEST_DATA_DIR;

pid_t read_pid(const std::filesystem::path& file) {
  std::ifstream in(file);
  pid_t pid = -1;
  in >> pid;
  return pid;
}

/// Waits for an orphan we are the subreaper of, and returns its wait status.
int reap_orphan(pid_t pid) {
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, 0), pid) << "pid " << pid;
  return status;
}

bool group_gone(pid_t pgid) { return ::kill(-pgid, 0) == -1 && errno == ESRCH; }

class CommandObjectiveTest : public test::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    spec_.trials_dir = dir_ / "trials";
    spec_.timeout = 20s;  // only a safety net: these programs end on their own
    spec_.kill_grace = 200ms;
  }
  void TearDown() override {
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    TempDirTest::TearDown();
  }

  Outcome run_shell(const std::string& script) {
    spec_.argv = {"/bin/sh", "-c", script};
    return run();
  }
  Outcome run() {
    CommandObjective objective(spec_, space_);
    return objective.evaluate(trial_, reporter_);
  }
  std::filesystem::path trial_dir() const { return spec_.trials_dir / "12"; }

  Space space_ = test::sample_space();
  TrialRecord record_ = test::sample_record();
  Trial trial_{space_, record_, {}};
  test::RecordingReporter reporter_;
  CommandSpec spec_;
};

TEST_F(CommandObjectiveTest, CompletesWithProtocolMetrics) {
  const Outcome outcome = run_shell(
      "echo 'epoch 1 done'; echo 'h5tune: loss=0.5 acc=0.9'; echo 'h5tune: loss=0.25'; "
      "printf 'h5tune: tail=7'");
  EXPECT_EQ(outcome.state, TrialState::complete) << outcome.message;
  EXPECT_EQ(outcome.message, "");
  EXPECT_EQ(outcome.metrics, (Metrics{{"loss", 0.25}, {"acc", 0.9}, {"tail", 7.0}}));
  EXPECT_TRUE(reporter_.reports.empty());
  EXPECT_EQ(test::read_text(trial_dir() / "stdout.log"),
            "epoch 1 done\nh5tune: loss=0.5 acc=0.9\nh5tune: loss=0.25\nh5tune: tail=7");
}

TEST_F(CommandObjectiveTest, ReportsReachTheReporterInOrder) {
  const Outcome outcome = run_shell(
      "for i in 1 2 3; do echo \"h5tune: step=$i loss=0.$i\"; done; "
      "echo 'h5tune: step=4 grad=2' >&2; echo 'h5tune: acc=1'");
  EXPECT_EQ(outcome.state, TrialState::complete) << outcome.message;
  ASSERT_EQ(reporter_.reports.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(reporter_.reports[i].first, i + 1);
    EXPECT_EQ(reporter_.reports[i].second, (Metrics{{"loss", std::stod("0." + std::to_string(i + 1))}}));
  }
  EXPECT_EQ(reporter_.reports[3], (std::pair<std::int64_t, Metrics>{4, {{"grad", 2.0}}}));
  // Metrics seen only in reports count as final with their last value.
  EXPECT_EQ(outcome.metrics, (Metrics{{"acc", 1.0}, {"loss", std::stod("0.3")}, {"grad", 2.0}}));
}

TEST_F(CommandObjectiveTest, RegexMetricsFromStdoutAndStderr) {
  spec_.regex_metrics = {{"acc", "accuracy: ([0-9.]+)"}, {"val_loss", "best loss: (\\S+)"}};
  const Outcome outcome = run_shell(
      "echo 'accuracy: 0.5'; echo 'accuracy: 0.75'; echo 'best loss: 1e-2 (epoch 4)' >&2");
  EXPECT_EQ(outcome.state, TrialState::complete) << outcome.message;
  EXPECT_EQ(outcome.message, "");
  EXPECT_EQ(find_metric(outcome.metrics, "acc"), 0.75);
  EXPECT_EQ(find_metric(outcome.metrics, "val_loss"), 1e-2);
}

TEST_F(CommandObjectiveTest, WarningsReachTheMessageOfACompleteTrial) {
  spec_.regex_metrics = {{"val_loss", "best loss: (\\S+)"}};
  const Outcome outcome =
      run_shell("echo 'best loss: 0.3'; echo 'best loss: oops'; echo 'h5tune: acc=high'");
  EXPECT_EQ(outcome.state, TrialState::complete);
  EXPECT_EQ(find_metric(outcome.metrics, "val_loss"), 0.3);
  EXPECT_FALSE(find_metric(outcome.metrics, "acc").has_value());
  EXPECT_NE(outcome.message.find("'oops', which is not a number"), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("value of 'acc' is not a number"), std::string::npos)
      << outcome.message;
}

TEST_F(CommandObjectiveTest, NonFiniteMetricsPassThroughForTheRuntimeToJudge) {
  const Outcome outcome = run_shell("echo 'h5tune: loss=nan'");
  EXPECT_EQ(outcome.state, TrialState::complete);
  ASSERT_TRUE(find_metric(outcome.metrics, "loss").has_value());
  EXPECT_TRUE(std::isnan(*find_metric(outcome.metrics, "loss")));
}

TEST_F(CommandObjectiveTest, BadRegexIsAnInputErrorNamingTheMetric) {
  spec_.argv = {"/bin/sh", "-c", "true"};
  spec_.regex_metrics = {{"val_loss", "loss: ([0-9"}};
  try {
    CommandObjective objective(spec_, space_);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'val_loss'"), std::string::npos) << e.what();
  }
  spec_.regex_metrics = {{"val_loss", "loss: [0-9.]+"}};
  EXPECT_THROW(CommandObjective(spec_, space_), InputError);
}

TEST_F(CommandObjectiveTest, NonZeroExitFailsWithTheTailOfStderr) {
  spec_.stderr_tail_bytes = 10;
  const Outcome outcome = run_shell("echo 'h5tune: loss=1'; echo 'Traceback: it broke' >&2; exit 3");
  EXPECT_EQ(outcome.state, TrialState::failed);
  EXPECT_EQ(outcome.message, "exit code 3");
  EXPECT_EQ(outcome.stderr_tail, " it broke\n");
  EXPECT_EQ(test::read_text(trial_dir() / "stderr.log"), "Traceback: it broke\n");
}

TEST_F(CommandObjectiveTest, SignalIsNamed) {
  const Outcome outcome = run_shell("kill -SEGV $$");
  EXPECT_EQ(outcome.state, TrialState::failed);
  EXPECT_EQ(outcome.message, "killed by signal 11 (Segmentation fault)");
}

TEST_F(CommandObjectiveTest, TimeoutEndsAPoliteProgramWithSigterm) {
  spec_.timeout = 200ms;
  spec_.kill_grace = 5s;
  const auto start = Clock::now();
  const Outcome outcome = run_shell("echo 'h5tune: step=1 loss=2'; exec sleep 30");
  EXPECT_LT(Clock::now() - start, 4s) << "SIGTERM alone should have ended sleep";
  EXPECT_EQ(outcome.state, TrialState::failed);
  EXPECT_EQ(outcome.message, "timed out after 0.2 s");
}

TEST_F(CommandObjectiveTest, TimeoutKillsAProgramThatIgnoresSigtermAndItsChildren) {
  spec_.timeout = 300ms;
  spec_.argv = {"/bin/sh", (data_dir / "stubborn.sh").string()};
  const auto start = Clock::now();
  const Outcome outcome = run();
  EXPECT_GE(Clock::now() - start, spec_.timeout + spec_.kill_grace);
  EXPECT_EQ(outcome.state, TrialState::failed);
  EXPECT_EQ(outcome.message, "timed out after 0.3 s");

  const pid_t leader = read_pid(trial_dir() / "leader.pid");
  const pid_t grandchild = read_pid(trial_dir() / "grandchild.pid");
  ASSERT_GT(leader, 0);
  ASSERT_GT(grandchild, 0);
  const int status = reap_orphan(grandchild);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
  EXPECT_TRUE(group_gone(leader));
}

TEST_F(CommandObjectiveTest, StopRequestPrunesAndLeavesNoProcess) {
  reporter_.stop_after_reports = 1;
  spec_.argv = {"/bin/sh", (data_dir / "stubborn.sh").string()};
  const Outcome outcome = run();
  EXPECT_EQ(outcome.state, TrialState::pruned);
  EXPECT_EQ(outcome.message, "stopped on request");
  EXPECT_EQ(find_metric(outcome.metrics, "started"), 1.0);

  const pid_t leader = read_pid(trial_dir() / "leader.pid");
  const pid_t grandchild = read_pid(trial_dir() / "grandchild.pid");
  const int status = reap_orphan(grandchild);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
  EXPECT_TRUE(group_gone(leader));
}

TEST_F(CommandObjectiveTest, ReportRefusedStopsTheProgram) {
  reporter_.stop_after_reports = 2;
  reporter_.refuse_report_at_count = true;
  const Outcome outcome = run_shell(
      "echo $$ > leader.pid; for i in 1 2 3 4; do echo \"h5tune: step=$i loss=$i\"; done; exec sleep 30");
  EXPECT_EQ(outcome.state, TrialState::pruned);
  EXPECT_EQ(outcome.message, "stopped on request");
  EXPECT_EQ(reporter_.reports.size(), 2u) << "no report after the refusal";
  EXPECT_TRUE(group_gone(read_pid(trial_dir() / "leader.pid")));
}

TEST_F(CommandObjectiveTest, FloodOfOutputFinishesWithCappedLogs) {
  constexpr std::uintmax_t cap = 16 * 1024 * 1024;
  const auto start = Clock::now();
  const Outcome outcome = run_shell(
      "head -c 20000000 /dev/zero | tr '\\0' x; echo; "
      "yes 'noise noise noise' | head -c 20000000 >&2; echo 'h5tune: done=1'; echo end >&2");
  EXPECT_LT(Clock::now() - start, 15s);
  EXPECT_EQ(outcome.state, TrialState::complete) << outcome.message;
  EXPECT_EQ(find_metric(outcome.metrics, "done"), 1.0) << "the line after a 20 MB line is read";
  for (const char* log : {"stdout.log", "stderr.log"}) {
    const auto size = std::filesystem::file_size(trial_dir() / log);
    EXPECT_GT(size, cap) << log;
    EXPECT_LT(size, cap + 200) << log;
  }
  std::ifstream in(trial_dir() / "stdout.log");
  in.seekg(static_cast<std::streamoff>(cap));
  std::string note;
  std::getline(in, note);
  std::getline(in, note);
  EXPECT_NE(note.find("truncated"), std::string::npos) << note;
  EXPECT_EQ(outcome.stderr_tail.size(), spec_.stderr_tail_bytes);
  EXPECT_EQ(outcome.stderr_tail.substr(outcome.stderr_tail.size() - 4), "end\n");
}

TEST_F(CommandObjectiveTest, ChildSeesItsEnvironmentAndDirectory) {
  spec_.env = {"H5TUNE_TEST_EXTRA=hello world", "H5TUNE_SEED=overridden-by-the-trial"};
  spec_.argv = {"/bin/sh", (data_dir / "print_env.sh").string()};
  const Outcome outcome = run();
  EXPECT_EQ(outcome.state, TrialState::complete) << outcome.message;
  EXPECT_EQ(find_metric(outcome.metrics, "ok"), 1.0);
  const auto dir = std::filesystem::canonical(trial_dir());
  EXPECT_EQ(test::read_lines(trial_dir() / "stdout.log"),
            (std::vector<std::string>{"12", "18446744073709551615", dir.string(), "7",
                                      "hello world", dir.string(), "h5tune: ok=1"}));
}

TEST_F(CommandObjectiveTest, TrialDirectoryGivenByTheRuntimeIsUsed) {
  const TrialRecord record = test::sample_record(5);
  const Trial trial(space_, record, trial_directory(spec_, 5));
  spec_.argv = {"/bin/sh", "-c", "echo {trial_dir} > where.txt"};
  CommandObjective objective(spec_, space_);
  EXPECT_EQ(objective.evaluate(trial, reporter_).state, TrialState::complete);
  EXPECT_EQ(test::read_lines(spec_.trials_dir / "5" / "where.txt"),
            (std::vector<std::string>{(spec_.trials_dir / "5").string()}));
}

TEST_F(CommandObjectiveTest, ArgvInjectionStaysLiteral) {
  record_.values[2] = 2.0;  // the choice full of shell syntax
  spec_.argv = {"/bin/sh", (data_dir / "print_args.sh").string(), "{act}", "--act={act}", "{layers}"};
  const Outcome outcome = run();
  EXPECT_EQ(outcome.state, TrialState::complete) << outcome.message;
  const std::string value = space_[2].choices[2];
  EXPECT_EQ(test::read_lines(trial_dir() / "args.txt"),
            (std::vector<std::string>{"[" + value + "]", "[--act=" + value + "]", "[3]"}));
  EXPECT_FALSE(std::filesystem::exists(trial_dir() / "pwned"));
  EXPECT_FALSE(std::filesystem::exists("pwned"));
}

TEST_F(CommandObjectiveTest, StdinIsEmpty) {
  const Outcome outcome = run_shell("n=$(cat | wc -c); echo \"h5tune: stdin_bytes=$n\"");
  EXPECT_EQ(find_metric(outcome.metrics, "stdin_bytes"), 0.0);
}

TEST_F(CommandObjectiveTest, ProgramThatCannotStartIsAFailedTrial) {
  const auto program = dir_ / "train";
  std::ofstream(program) << "#!/bin/sh\necho hi\n";
  ::chmod(program.c_str(), 0755);
  spec_.argv = {program.string()};
  CommandObjective objective(spec_, space_);
  ::chmod(program.c_str(), 0644);  // broken after the study started
  const Outcome outcome = objective.evaluate(trial_, reporter_);
  EXPECT_EQ(outcome.state, TrialState::failed);
  EXPECT_EQ(outcome.message, "cannot start '" + program.string() + "': not found or not executable");
}

TEST_F(CommandObjectiveTest, ExecFailureIsAFailedTrialWithTheReason) {
  const auto program = dir_ / "data.bin";
  std::ofstream(program) << "this is no program\n";  // no #! line: exec says ENOEXEC
  ::chmod(program.c_str(), 0755);
  spec_.argv = {program.string()};
  const Outcome outcome = run();
  EXPECT_EQ(outcome.state, TrialState::failed);
  EXPECT_EQ(outcome.message, "cannot start '" + program.string() + "': Exec format error");

  const auto script = dir_ / "bad-interpreter";
  std::ofstream(script) << "#!/no/such/interpreter\n";
  ::chmod(script.c_str(), 0755);
  spec_.argv = {script.string()};
  const Outcome missing = run();
  EXPECT_EQ(missing.state, TrialState::failed);
  EXPECT_EQ(missing.message, "cannot start '" + script.string() + "': No such file or directory");
}

TEST_F(CommandObjectiveTest, ProgramChosenByPlaceholderIsLookedUpPerTrial) {
  spec_.argv = {"{trial_dir}/run.sh"};
  const Outcome outcome = run();
  EXPECT_EQ(outcome.state, TrialState::failed);
  EXPECT_NE(outcome.message.find("not found or not executable"), std::string::npos);
}

TEST_F(CommandObjectiveTest, ConstructorRejectsWhatCanNeverRun) {
  spec_.argv = {};
  EXPECT_THROW(CommandObjective(spec_, space_), InputError);
  spec_.argv = {"h5tune-no-such-program-here", "{lr}"};
  EXPECT_THROW(CommandObjective(spec_, space_), InputError);
  spec_.argv = {(dir_ / "missing.sh").string()};
  EXPECT_THROW(CommandObjective(spec_, space_), InputError);
  spec_.argv = {"/bin/sh", "{learning_rate}"};
  try {
    CommandObjective objective(spec_, space_);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("{learning_rate}"), std::string::npos) << e.what();
  }
  spec_.argv = {"/bin/sh"};
  spec_.env = {"NO_EQUALS_SIGN"};
  EXPECT_THROW(CommandObjective(spec_, space_), InputError);
}

TEST_F(CommandObjectiveTest, EscapedGrandchildHoldingThePipesDoesNotBlock) {
  const auto start = Clock::now();
  // The script waits until the escape is done (the pid file is written after setsid),
  // else the group kill at its exit could catch the escapee first.
  const Outcome outcome = run_shell(
      "setsid sh -c 'echo $$ > escaped.tmp; mv escaped.tmp escaped.pid; exec sleep 30' & "
      "while [ ! -e escaped.pid ]; do :; done; echo 'h5tune: loss=0.5'");
  EXPECT_LT(Clock::now() - start, 5s);
  EXPECT_GE(Clock::now() - start, 200ms) << "the pipes were drained for the full limit";
  EXPECT_EQ(outcome.state, TrialState::complete) << outcome.message;
  EXPECT_EQ(find_metric(outcome.metrics, "loss"), 0.5);
  const pid_t escaped = read_pid(trial_dir() / "escaped.pid");
  ASSERT_GT(escaped, 0);
  EXPECT_EQ(::kill(escaped, 0), 0) << "the escaped process outlives the trial (so it held the pipes)";
  ::kill(escaped, SIGKILL);
  reap_orphan(escaped);
}

}  // namespace
}  // namespace h5tune
